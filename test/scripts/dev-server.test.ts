import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { generateCertificates } from "office-addin-dev-certs/lib/generate";
// @ts-expect-error -- a CommonJS script of the build, checked by its tests rather than by tsc
import { freePort, reusableCertificates } from "../../scripts/dev-server.cjs";

/** npm start: development certificates reused while valid, and a free port found. */
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function certificates(days: number): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "lifetime-certs-"));
  dirs.push(dir);
  await generateCertificates(path.join(dir, "ca.crt"), path.join(dir, "localhost.crt"), path.join(dir, "localhost.key"), days);
  return dir;
}

describe("development certificates", () => {
  it("are reused while valid for a week more, so the CA to trust stays the same", async () => {
    const dir = await certificates(30);
    const reused = reusableCertificates(dir) as { ca: Buffer; cert: Buffer; key: Buffer };
    assert.ok(reused && reused.ca.length > 0 && reused.cert.length > 0 && reused.key.length > 0);
  });

  it("are made anew when about to expire, missing, or not issued by the CA beside them", async () => {
    assert.equal(reusableCertificates(await certificates(3)), undefined);
    const dir = await certificates(30);
    assert.equal(reusableCertificates(dir, new Date(Date.now() + 25 * 86_400_000)), undefined);
    const other = await certificates(30);
    writeFileSync(path.join(dir, "ca.crt"), (await import("node:fs")).readFileSync(path.join(other, "ca.crt")));
    assert.equal(reusableCertificates(dir), undefined);
    assert.equal(reusableCertificates(path.join(os.tmpdir(), "no-such-directory")), undefined);
  });
});

describe("the development server's port", () => {
  it("is the one asked for when free, the next free one when taken", async () => {
    const port = (await freePort(41_000, "127.0.0.1")) as number;
    assert.ok(port >= 41_000);
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(port, "127.0.0.1", resolve));
    try {
      const next = (await freePort(port, "127.0.0.1")) as number;
      assert.ok(next > port, `${next} after ${port}`);
    } finally {
      taken.close();
    }
  });
});
