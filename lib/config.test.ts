import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/lib/config";

const REQUIRED = {
  DATABASE_URL: "postgresql://cloudnotes:secret@localhost:5432/cloudnotes",
  SECRET_KEY: "0123456789abcdef0123456789abcdef",
  BUCKET_NAME: "cloudnotes-files",
};

/** The ConfigError parseConfig throws for an environment (fails the test when it does not throw one). */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(env)}`);
}

describe("parseConfig", () => {
  it("needs only the three required variables and applies the documented defaults", () => {
    const c = parseConfig(REQUIRED);
    expect(c).toMatchObject({
      ...REQUIRED,
      NODE_ENV: "development",
      ALGORITHM: "HS256",
      ACCESS_TOKEN_EXPIRE_MINUTES: 30,
      AWS_REGION: "us-east-1",
      DATABASE_POOL_MAX: 10,
      MIGRATE_ON_START: true,
      MAX_UPLOAD_BYTES: 25 * 1024 * 1024,
      S3_FORCE_PATH_STYLE: false,
      WORKER_ENABLED: true,
      PORT: 3000,
      TRUSTED_PROXIES: ["loopback"],
    });
    expect(c.S3_ENDPOINT).toBeUndefined();
    expect(c.ALLOWED_UPLOAD_TYPES).toContain("image/*");
  });

  it("reads and coerces the values it is given", () => {
    const c = parseConfig({
      ...REQUIRED,
      ALGORITHM: "HS512",
      ACCESS_TOKEN_EXPIRE_MINUTES: "90",
      MIGRATE_ON_START: "no",
      ALLOWED_UPLOAD_TYPES: " image/png , application/pdf ,, ",
    });
    expect(c.ALGORITHM).toBe("HS512");
    expect(c.ACCESS_TOKEN_EXPIRE_MINUTES).toBe(90);
    expect(c.MIGRATE_ON_START).toBe(false);
    expect(c.ALLOWED_UPLOAD_TYPES).toEqual(["image/png", "application/pdf"]);
  });

  it("names every missing required variable in one error", () => {
    const error = configError({});
    for (const name of ["DATABASE_URL", "SECRET_KEY", "BUCKET_NAME"]) expect(error.message).toContain(name);
    expect(error.message).toContain(".env.example");
  });

  it.each(["DATABASE_URL", "SECRET_KEY", "BUCKET_NAME"] as const)("refuses a missing %s and names it", (name) => {
    const error = configError({ ...REQUIRED, [name]: undefined });
    expect(error.message).toMatch(new RegExp(`^\\s*${name}: is required`, "m"));
    const others = ["DATABASE_URL", "SECRET_KEY", "BUCKET_NAME"].filter((n) => n !== name);
    for (const other of others) expect(error.message).not.toContain(other);
  });

  it("treats empty strings as unset", () => {
    const error = configError({ ...REQUIRED, SECRET_KEY: "" });
    expect(error.message).toMatch(/SECRET_KEY: is required/);
    const c = parseConfig({
      ...REQUIRED,
      ALGORITHM: "",
      ACCESS_TOKEN_EXPIRE_MINUTES: "",
      S3_ENDPOINT: "",
      AWS_REGION: "",
    });
    expect(c.ALGORITHM).toBe("HS256");
    expect(c.ACCESS_TOKEN_EXPIRE_MINUTES).toBe(30);
    expect(c.S3_ENDPOINT).toBeUndefined();
    expect(c.AWS_REGION).toBe("us-east-1");
  });

  it("refuses a SECRET_KEY shorter than 32 characters", () => {
    expect(configError({ ...REQUIRED, SECRET_KEY: "x".repeat(31) }).message).toMatch(/SECRET_KEY: must be at least 32/);
    expect(parseConfig({ ...REQUIRED, SECRET_KEY: "x".repeat(32) }).SECRET_KEY).toHaveLength(32);
  });

  it("refuses ALGORITHM=none and other non-HMAC algorithms", () => {
    for (const algorithm of ["none", "None", "RS256", "hs256"]) {
      expect(configError({ ...REQUIRED, ALGORITHM: algorithm }).message).toMatch(/^\s*ALGORITHM:/m);
    }
  });

  it("refuses invalid bucket names", () => {
    for (const bucket of ["UPPER", "ab", "-leading", "trailing-", "under_score", "a".repeat(64), "s3://bucket"]) {
      expect(configError({ ...REQUIRED, BUCKET_NAME: bucket }).message, bucket).toMatch(
        /BUCKET_NAME: must be a valid S3 bucket name/,
      );
    }
    expect(parseConfig({ ...REQUIRED, BUCKET_NAME: "my.bucket-01" }).BUCKET_NAME).toBe("my.bucket-01");
  });

  it("refuses a DATABASE_URL that is not a PostgreSQL URL", () => {
    expect(configError({ ...REQUIRED, DATABASE_URL: "mysql://localhost/db" }).message).toMatch(
      /DATABASE_URL: must be a postgresql/,
    );
    expect(parseConfig({ ...REQUIRED, DATABASE_URL: "postgres://h/db" }).DATABASE_URL).toBe("postgres://h/db");
  });

  it("lists every invalid variable at once", () => {
    const error = configError({ ...REQUIRED, SECRET_KEY: "short", ALGORITHM: "none", PORT: "70000" });
    for (const name of ["SECRET_KEY", "ALGORITHM", "PORT"]) expect(error.message).toContain(`${name}:`);
  });

  it("defaults S3_FORCE_PATH_STYLE to true with an S3_ENDPOINT, false without, and honours an explicit value", () => {
    expect(parseConfig({ ...REQUIRED, S3_ENDPOINT: "http://127.0.0.1:9000" }).S3_FORCE_PATH_STYLE).toBe(true);
    expect(parseConfig(REQUIRED).S3_FORCE_PATH_STYLE).toBe(false);
    expect(
      parseConfig({ ...REQUIRED, S3_ENDPOINT: "http://127.0.0.1:9000", S3_FORCE_PATH_STYLE: "false" })
        .S3_FORCE_PATH_STYLE,
    ).toBe(false);
    expect(parseConfig({ ...REQUIRED, S3_FORCE_PATH_STYLE: "true" }).S3_FORCE_PATH_STYLE).toBe(true);
    expect(configError({ ...REQUIRED, S3_FORCE_PATH_STYLE: "maybe" }).message).toContain("S3_FORCE_PATH_STYLE");
  });
});
