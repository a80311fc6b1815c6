"use client";

import { ErrorView } from "@/components/error-view";

/** This segment's failures show a message with Try again, never a blank or framework page. */
export default ErrorView;
