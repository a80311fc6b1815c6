// The image's HEALTHCHECK: GET /healthz on the port the server listens on (no curl in the image).
const host = ["0.0.0.0", "::", ""].includes(process.env.HOSTNAME ?? "") ? "127.0.0.1" : process.env.HOSTNAME;
const url = `http://${host.includes(":") ? `[${host}]` : host}:${process.env.PORT || 3000}/healthz`;
fetch(url, { signal: AbortSignal.timeout(4000) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
