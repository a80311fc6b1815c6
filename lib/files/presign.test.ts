import fc from "fast-check";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { resetConfigForTests } from "@/lib/config";
import { downloadUrl, downloadWindow, sdkDownloadUrl } from "@/lib/files/download";
import { forgetProcessSingletonForTests } from "@/lib/process-singleton";

/**
 * downloadUrl signs with the SDK's S3 presigner directly instead of running getSignedUrl's middleware stack
 * for every URL; these prove that the URLs are byte for byte those of getSignedUrl, for every kind of S3
 * addressing and for any key and file name.
 */

const saved = { ...process.env };

function configure(env: Record<string, string | undefined>): void {
  for (const k of ["S3_ENDPOINT", "S3_PUBLIC_ENDPOINT", "S3_FORCE_PATH_STYLE", "AWS_REGION"]) delete process.env[k];
  Object.assign(process.env, {
    DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/db",
    SECRET_KEY: "x".repeat(40),
    BUCKET_NAME: "notes-bucket",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    ...env,
  });
  resetConfigForTests();
  forgetProcessSingletonForTests("s3");
  forgetProcessSingletonForTests("s3Public");
}

afterAll(() => {
  process.env = saved;
  resetConfigForTests();
});

const SETUPS: [string, Record<string, string>][] = [
  [
    "S3-compatible endpoint, path style (RGW, MinIO)",
    { S3_ENDPOINT: "http://127.0.0.1:7480", AWS_REGION: "us-east-1" },
  ],
  [
    "public endpoint for browsers with a port",
    { S3_ENDPOINT: "http://rgw:7480", S3_PUBLIC_ENDPOINT: "https://files.example.com:8443", AWS_REGION: "us-east-1" },
  ],
  ["AWS, virtual-hosted style", { AWS_REGION: "eu-west-3" }],
  ["AWS, path style forced", { AWS_REGION: "us-west-2", S3_FORCE_PATH_STYLE: "true" }],
];

const date = new Date("2026-03-04T05:06:07Z");

describe.each(SETUPS)("downloadUrl (%s)", (_name, env) => {
  it("is exactly getSignedUrl's URL", async () => {
    configure(env);
    const files = [
      {
        key: "users/u1/uploads/0b5e8f3a-1111-4222-8333-444455556666/report.pdf",
        fileName: "report.pdf",
        contentType: "application/pdf",
      },
      {
        key: "users/u1/uploads/0b5e8f3a-1111-4222-8333-444455556666/page.html",
        fileName: "Résumé (final) *v2*.html",
        contentType: "text/html",
      },
      { key: "users/u1/uploads/x/it's a ~file!.png", fileName: "it's a ~file!.png", contentType: "image/png" },
    ];
    for (const file of files) {
      expect(await downloadUrl(file, { signingDate: date })).toBe(await sdkDownloadUrl(file, { signingDate: date }));
    }
  });

  it("makes a Download link save the file (attachment) while keeping a safe type", async () => {
    configure(env);
    const file = { key: "users/u1/uploads/x/photo.png", fileName: "photo.png", contentType: "image/png" };
    const view = new URL(await downloadUrl(file, { signingDate: date }));
    const save = new URL(await downloadUrl({ ...file, disposition: "attachment" }, { signingDate: date }));
    expect(view.searchParams.get("response-content-disposition")).toMatch(/^inline; /);
    expect(save.searchParams.get("response-content-disposition")).toMatch(/^attachment; filename="photo.png"/);
    expect(save.searchParams.get("response-content-type")).toBe("image/png");
    expect(save.toString()).toBe(await sdkDownloadUrl({ ...file, disposition: "attachment" }, { signingDate: date }));
  });

  it("is exactly getSignedUrl's URL for any key and name (property)", async () => {
    configure(env);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 4 }),
        fc.string({ unit: "grapheme", maxLength: 40 }),
        fc.constantFrom("image/png", "application/pdf", "text/html", "video/mp4", "application/octet-stream"),
        async (segments, fileName, contentType) => {
          const file = { key: `users/u/uploads/${segments.join("/")}`, fileName, contentType };
          expect(await downloadUrl(file, { signingDate: date })).toBe(
            await sdkDownloadUrl(file, { signingDate: date }),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("downloadUrl's window", () => {
  afterEach(() => vi.useRealTimers());
  const file = { key: "users/u1/uploads/x/photo.png", fileName: "photo.png", contentType: "image/png" };
  const expiry = (url: string) => {
    const q = new URL(url).searchParams;
    const stamp = q.get("X-Amz-Date")!.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z");
    return Date.parse(stamp) + Number(q.get("X-Amz-Expires")) * 1000;
  };

  it("hands out the same URL within a window and a new one after it, living at least 4/5 of its time", async () => {
    configure(SETUPS[0]![1]);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-03-04T05:03:10Z"));
    const first = await downloadUrl(file);
    // 15 minutes (the default): windows of 3 minutes, from 05:03:00 on.
    expect(expiry(first)).toBe(Date.parse("2026-03-04T05:18:00Z"));
    expect(downloadWindow().expiresAt).toBe(expiry(first));

    vi.setSystemTime(new Date("2026-03-04T05:05:59Z"));
    expect(await downloadUrl(file)).toBe(first);
    expect(expiry(first) - Date.now()).toBeGreaterThanOrEqual((4 / 5) * 900_000);
    // Another file, or the same one to save: URLs of their own.
    expect(await downloadUrl({ ...file, disposition: "attachment" })).not.toBe(first);

    vi.setSystemTime(new Date("2026-03-04T05:06:00Z"));
    const next = await downloadUrl(file);
    expect(next).not.toBe(first);
    expect(expiry(next)).toBe(Date.parse("2026-03-04T05:21:00Z"));
  });

  it("keeps short lives short: a 5-minute URL is reused for a minute", () => {
    const now = Date.parse("2026-03-04T05:03:10Z");
    expect(downloadWindow(300, now)).toEqual({
      signedAt: new Date("2026-03-04T05:03:00Z"),
      expiresAt: Date.parse("2026-03-04T05:08:00Z"),
    });
  });
});
