import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface TokenRequest {
  headers: http.IncomingHttpHeaders;
  body: URLSearchParams;
  /** Where the secret travelled: it must be the POST body, never the URL. */
  url: string;
}

export interface FakeGitHub {
  url: string;
  clientId: string;
  clientSecret: string;
  /** The token handed out for a good code. */
  token: string;
  authorizeRequests: URLSearchParams[];
  tokenRequests: TokenRequest[];
  /** What the next steps do: approve or deny at /authorize; answer or fail at /access_token. */
  mode: { authorize: "approve" | "deny"; token: "ok" | "server-error" | "not-json" };
  close: () => Promise<void>;
}

/**
 * GitHub's OAuth web flow on loopback: /login/oauth/authorize approves (or denies) at once and
 * redirects to redirect_uri; /login/oauth/access_token checks the client secret and a
 * single-use code, answering JSON like github.com (errors as 200 with {error}).
 */
export async function startFakeGitHub(): Promise<FakeGitHub> {
  const codes = new Set<string>();
  const fake: Omit<FakeGitHub, "url" | "close"> = {
    clientId: "Ov23liFakeClientId",
    clientSecret: `fake-secret-${randomBytes(12).toString("hex")}`,
    token: `gho_${randomBytes(18).toString("hex")}`,
    authorizeRequests: [],
    tokenRequests: [],
    mode: { authorize: "approve", token: "ok" },
  };
  const json = (res: http.ServerResponse, body: unknown, status = 200) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake-github");
    if (req.method === "GET" && url.pathname === "/login/oauth/authorize") {
      fake.authorizeRequests.push(url.searchParams);
      const redirect = url.searchParams.get("redirect_uri");
      if (url.searchParams.get("client_id") !== fake.clientId || !redirect) {
        res.writeHead(400).end("bad client_id or redirect_uri");
        return;
      }
      const back = new URL(redirect);
      if (fake.mode.authorize === "deny") {
        back.searchParams.set("error", "access_denied");
        back.searchParams.set("error_description", "The user has denied your application access.");
      } else {
        const code = randomBytes(10).toString("hex");
        codes.add(code);
        back.searchParams.set("code", code);
      }
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (req.method === "POST" && url.pathname === "/login/oauth/access_token") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
        fake.tokenRequests.push({ headers: req.headers, body, url: req.url ?? "" });
        if (fake.mode.token === "server-error") {
          res.writeHead(503, { "content-type": "text/html" }).end("<h1>Unicorn!</h1>");
          return;
        }
        if (fake.mode.token === "not-json") {
          res.writeHead(200, { "content-type": "text/html" }).end("<html>login</html>");
          return;
        }
        if (body.get("client_id") !== fake.clientId || body.get("client_secret") !== fake.clientSecret) {
          json(res, { error: "incorrect_client_credentials", error_description: "The client_id and/or client_secret passed are incorrect." });
          return;
        }
        const code = body.get("code") ?? "";
        if (!codes.delete(code)) {
          json(res, { error: "bad_verification_code", error_description: "The code passed is incorrect or expired." });
          return;
        }
        json(res, { access_token: fake.token, token_type: "bearer", scope: "repo,user" });
      });
      return;
    }
    res.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
