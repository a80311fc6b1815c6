/**
 * Preloaded (`--import`) into bare Next as the `barenext_libs` server kind: the server-side libraries every
 * CloudNotes instance loads and bare Next does not (the whole S3 client and its presigners and uploader,
 * Prisma's runtime, the job queue, logging, metrics, the rate limiter, request parsing, password hashing, zod),
 * loaded and never used. Beside bare Next it shows how much of CloudNotes' distance from bare Next is the
 * libraries' mere presence in the heap, which the collector marks on every cycle.
 */
import "@aws-sdk/client-s3";
import "@aws-sdk/lib-storage";
import "@aws-sdk/s3-presigned-post";
import "@aws-sdk/s3-request-presigner";
import "@node-rs/argon2";
import "@prisma/adapter-pg";
import "@prisma/client/runtime/client";
import "busboy";
import "pg-boss";
import "pino";
import "prom-client";
import "proxy-addr";
import "rate-limiter-flexible";
import "zod";
