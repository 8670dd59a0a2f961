// The development server's two chores, kept apart so they can be tested: reusing the
// development certificates while they are valid, and finding a free port.
const crypto = require("node:crypto");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");

const CERT_DIR = path.join(os.homedir(), ".office-addin-dev-certs");

/**
 * The certificates office-addin-dev-certs made before ({ ca, cert, key }), when they can
 * serve again: the localhost certificate is issued by that CA, names localhost, matches
 * its key, and stays valid for at least `minDays` more days. Otherwise undefined, and a new
 * set is made. (office-addin-dev-certs would make a new CA on every start where it cannot
 * add one to the system's trust store, as on Linux without sudo, and the user would have to
 * trust a new ca.crt each time.)
 */
function reusableCertificates(dir = CERT_DIR, now = new Date(), minDays = 7) {
  try {
    const ca = fs.readFileSync(path.join(dir, "ca.crt"));
    const cert = fs.readFileSync(path.join(dir, "localhost.crt"));
    const key = fs.readFileSync(path.join(dir, "localhost.key"));
    const caX509 = new crypto.X509Certificate(ca);
    const x509 = new crypto.X509Certificate(cert);
    const soon = new Date(now.getTime() + minDays * 86_400_000);
    const valid = (c) => new Date(c.validFrom) <= now && new Date(c.validTo) >= soon;
    if (!valid(x509) || !valid(caX509)) return undefined;
    if (!x509.checkIssued(caX509) || !x509.verify(caX509.publicKey)) return undefined;
    if (!x509.checkHost("localhost")) return undefined;
    if (!x509.checkPrivateKey(crypto.createPrivateKey(key))) return undefined;
    return { ca, cert, key };
  } catch {
    return undefined;
  }
}

/** Whether a TCP port can be listened on at `host`. */
function portFree(port, host = "localhost") {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** `preferred` if it is free, else the next free port of the following `tries`; undefined if none. */
async function freePort(preferred, host = "localhost", tries = 20) {
  for (let port = preferred; port < preferred + tries; port++) if (await portFree(port, host)) return port;
  return undefined;
}

module.exports = { CERT_DIR, reusableCertificates, portFree, freePort };
