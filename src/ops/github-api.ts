/**
 * The few GitHub REST calls the scheduled jobs make (monitoring and the link check each keep one
 * issue open), through fetch against a configurable API URL so tests can use a local fake.
 */
export interface GitHubRepo {
  /** e.g. https://api.github.com (GITHUB_API_URL) */
  apiUrl: string;
  /** owner/name (GITHUB_REPOSITORY) */
  repository: string;
  token: string;
}

export async function githubRequest(repo: GitHubRepo, method: string, route: string, body?: unknown): Promise<Response> {
  return fetch(`${repo.apiUrl.replace(/\/$/, "")}/repos/${repo.repository}${route}`, {
    method,
    headers: {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${repo.token}`,
      "x-github-api-version": "2022-11-28",
      "user-agent": "iot-lab-portal-ops",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
}

/** A call that must succeed; its JSON answer (undefined for an empty body). */
export async function githubJson<T>(repo: GitHubRepo, method: string, route: string, body?: unknown): Promise<T> {
  const res = await githubRequest(repo, method, route, body);
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // not JSON: keep the text
    }
    throw new Error(`GitHub API ${method} ${route}: ${res.status} ${message}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * The jobs find their issue again by its label, so the label must really be on it. Some tokens
 * silently drop labels that do not exist yet, so the label is created first.
 */
export async function ensureLabel(repo: GitHubRepo, label: { name: string; color: string; description: string }): Promise<void> {
  const res = await githubRequest(repo, "GET", `/labels/${encodeURIComponent(label.name)}`);
  if (res.ok) return;
  if (res.status !== 404) throw new Error(`GitHub API GET /labels/${label.name}: ${res.status} ${await res.text()}`);
  await githubJson(repo, "POST", "/labels", label);
}
