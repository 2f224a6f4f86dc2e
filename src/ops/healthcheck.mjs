// The container's health check (Dockerfile HEALTHCHECK, compose.yaml): exits 0 when GET /healthz
// on PORT answers 200, else 1. Plain JavaScript run by node alone (no tsx, no curl in the slim
// image), so that it starts in a few tens of milliseconds.
const port = /^\d+$/.test(process.env.PORT ?? "") ? process.env.PORT : "8080";
try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, {
    signal: AbortSignal.timeout(4000),
  });
  process.exit(response.status === 200 ? 0 : 1);
} catch {
  process.exit(1);
}
