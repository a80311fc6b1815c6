import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { describe, expect, it } from "vitest";
import { type S3Settings, s3BrowserSources } from "@/lib/files/browser-origins";

/** CSP source matching as browsers do it for host + path sources (CSP3 §6.7.2.8, without wildcards). */
function allows(sources: string[], target: string): boolean {
  const url = new URL(target);
  return sources.some((source) => {
    const s = new URL(source);
    if (s.origin !== url.origin) return false;
    if (s.pathname === "/" && !source.endsWith("/")) return true; // origin only
    return s.pathname.endsWith("/") ? url.pathname.startsWith(s.pathname) : url.pathname === s.pathname;
  });
}

const cases: (S3Settings & { name: string })[] = [
  { name: "AWS us-east-1", BUCKET_NAME: "cloudnotes-files", AWS_REGION: "us-east-1", S3_FORCE_PATH_STYLE: false },
  { name: "AWS eu-west-1", BUCKET_NAME: "cloudnotes-files", AWS_REGION: "eu-west-1", S3_FORCE_PATH_STYLE: false },
  { name: "AWS China", BUCKET_NAME: "cloudnotes-files", AWS_REGION: "cn-north-1", S3_FORCE_PATH_STYLE: false },
  { name: "AWS, dotted bucket", BUCKET_NAME: "files.example.com", AWS_REGION: "eu-west-1", S3_FORCE_PATH_STYLE: false },
  {
    name: "AWS, forced path style",
    BUCKET_NAME: "cloudnotes-files",
    AWS_REGION: "eu-west-1",
    S3_FORCE_PATH_STYLE: true,
  },
  {
    name: "RGW/MinIO",
    BUCKET_NAME: "b1",
    AWS_REGION: "us-east-1",
    S3_ENDPOINT: "http://127.0.0.1:7480",
    S3_FORCE_PATH_STYLE: true,
  },
  {
    name: "public endpoint differs",
    BUCKET_NAME: "b1",
    AWS_REGION: "us-east-1",
    S3_ENDPOINT: "http://10.0.0.5:9000",
    S3_PUBLIC_ENDPOINT: "https://s3.example.com",
    S3_FORCE_PATH_STYLE: true,
  },
  {
    name: "custom endpoint, virtual hosts",
    BUCKET_NAME: "b1",
    AWS_REGION: "us-east-1",
    S3_ENDPOINT: "https://s3.example.com",
    S3_FORCE_PATH_STYLE: false,
  },
  {
    name: "endpoint with a path",
    BUCKET_NAME: "b1",
    AWS_REGION: "us-east-1",
    S3_ENDPOINT: "https://example.com/s3",
    S3_FORCE_PATH_STYLE: true,
  },
];

describe("s3BrowserSources", () => {
  it.each(cases)("allows the URLs the SDK presigns for browsers: $name", async (c) => {
    const client = new S3Client({
      region: c.AWS_REGION,
      endpoint: c.S3_PUBLIC_ENDPOINT ?? c.S3_ENDPOINT,
      forcePathStyle: c.S3_FORCE_PATH_STYLE,
      credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "example" },
    });
    const key = "users/42/uploads/0b0e/photo one.png";
    const get = await getSignedUrl(client, new GetObjectCommand({ Bucket: c.BUCKET_NAME, Key: key }), {
      expiresIn: 60,
    });
    const post = await createPresignedPost(client, { Bucket: c.BUCKET_NAME, Key: key });
    const sources = s3BrowserSources(c);
    expect(allows(sources, get), `${get} not in ${sources.join(" ")}`).toBe(true);
    expect(allows(sources, post.url), `${post.url} not in ${sources.join(" ")}`).toBe(true);
  });

  it("allows this bucket only, not its neighbours on a shared host", () => {
    const path = s3BrowserSources(cases[3]!);
    expect(allows(path, "https://s3.eu-west-1.amazonaws.com/files.example.com/users/1/x")).toBe(true);
    expect(allows(path, "https://s3.eu-west-1.amazonaws.com/attacker-bucket/x")).toBe(false);
    expect(allows(path, "https://s3.eu-west-1.amazonaws.com/files.example.com.evil/x")).toBe(false);
    const rgw = s3BrowserSources(cases[5]!);
    expect(allows(rgw, "http://127.0.0.1:7480/other/x")).toBe(false);
    const vhost = s3BrowserSources(cases[1]!);
    expect(vhost).toEqual(["https://cloudnotes-files.s3.eu-west-1.amazonaws.com"]);
  });
});
