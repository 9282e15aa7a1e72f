/**
 * Self-hosting adapter: serves handler.ts with node:http (behind a TLS-terminating proxy), and
 * the gateway in tests.
 *
 *   GITHUB_CLIENT_ID=… GITHUB_CLIENT_SECRET=… ALLOWED_ORIGIN=https://site \
 *   PUBLIC_URL=https://cms-auth.example.jp PORT=8787 node src/auth-gateway/node-server.ts
 *
 * PUBLIC_URL is the gateway's address as browsers see it; request URLs are built on it rather
 * than on the Host header, so a forged Host cannot change the callback URL.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { GatewayConfigError, isAcceptableScheme, loadConfig, type GatewayEnv } from "./config.ts";
import { handleRequest } from "./handler.ts";

export interface GatewayServerOptions {
  env: GatewayEnv;
  /** Listen address; loopback by default (a reverse proxy sits in front). */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Defaults to http://host:port, fine on loopback only (the state cookie is Secure). */
  publicUrl?: string;
  /** One line per request, without the query (it carries the code and state). */
  log?: (line: string) => void;
}

export interface GatewayServer {
  /** The public URL (PUBLIC_URL, or the listen address). */
  url: string;
  /** Where it actually listens, for the proxy in front (and tests). */
  localUrl: string;
  close: () => Promise<void>;
}

function toHeaders(req: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

/** Throws GatewayConfigError before listening: a misconfigured gateway does not start. */
export async function startGatewayServer(options: GatewayServerOptions): Promise<GatewayServer> {
  loadConfig(options.env);
  const host = options.host ?? "127.0.0.1";
  let base: URL | undefined;
  if (options.publicUrl !== undefined) {
    try {
      base = new URL(options.publicUrl);
    } catch {
      // reported below
    }
    if (!base || base.origin !== options.publicUrl.replace(/\/$/, "") || !isAcceptableScheme(base)) {
      throw new GatewayConfigError([
        "PUBLIC_URL はゲートウェイの https のオリジン（例: https://cms-auth.example.jp）にしてください / PUBLIC_URL must be the gateway's https origin",
      ]);
    }
  }
  const log = options.log ?? (() => {});

  const server = http.createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://gateway.invalid");
    let response: Response;
    try {
      const request = new Request(new URL(path.pathname + path.search, base), { method: req.method, headers: toHeaders(req) });
      response = await handleRequest(request, options.env);
    } catch {
      // e.g. TRACE/CONNECT, which Request refuses to represent.
      response = new Response("Method Not Allowed", { status: 405, headers: { allow: "GET" } });
    }
    log(`${new Date().toISOString()} ${req.method} ${path.pathname} ${response.status}`);
    for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
    const cookies = response.headers.getSetCookie();
    if (cookies.length) res.setHeader("set-cookie", cookies);
    res.statusCode = response.status;
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  const localUrl = await new Promise<string>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      const { port } = server.address() as AddressInfo;
      const local = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
      base ??= new URL(local);
      resolve(local);
    });
  });
  return {
    url: base!.origin,
    localUrl,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function main(): Promise<void> {
  const env = process.env;
  try {
    const server = await startGatewayServer({
      env,
      host: env.HOST,
      port: env.PORT ? Number(env.PORT) : 8787,
      publicUrl: env.PUBLIC_URL,
      log: (line) => console.log(line),
    });
    const stop = () => void server.close().then(() => process.exit(0));
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    console.log(`OAuth gateway listening on ${server.localUrl}; public URL ${server.url}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

if (import.meta.main) await main();
