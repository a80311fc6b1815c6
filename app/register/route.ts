import { readFields } from "@/lib/http/body";
import { apiRoute } from "@/lib/http/handler";
import { json } from "@/lib/http/problem";
import { registrationSchema } from "@/lib/users/schema";
import { registerUser } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";

export const POST = apiRoute("/register", async (request) => {
  const input = parseInput(registrationSchema, await readFields(request));
  const user = await registerUser(input);
  return json({ message: "User registered successfully", id: user.id, email: user.email });
});
