// A throw-away certificate authority and a server certificate signed by it, made with the `openssl` CLI, for a
// TLS redis-server in the system tests. A real CA (not a self-signed server certificate) is what a company's
// Redis has, so a client must be given the CA (NODE_EXTRA_CA_CERTS) exactly as a user would be told to.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface TlsFiles {
  /** The CA's certificate (PEM): what a client must trust. */
  readonly caFile: string;
  /** The server's certificate (PEM), for 127.0.0.1 and localhost, signed by the CA. */
  readonly certFile: string;
  /** The server's private key (PEM, unencrypted). */
  readonly keyFile: string;
}

// Our own config, so that the machine's openssl.cnf (its default extensions) changes nothing. The CA must say
// CA:TRUE or OpenSSL refuses it as an issuer; the server names the addresses clients dial (IP SAN for 127.0.0.1).
const CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
authorityKeyIdentifier = keyid
`;

/** P-256 keys: generated in milliseconds, unlike RSA, and every TLS stack here takes them. */
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Writes ca.pem, server.pem and server.key (and the files that made them) into `dir`; throws with openssl's words on failure. */
export function makeTlsFiles(dir: string): TlsFiles {
  const file = (name: string): string => path.join(dir, name);
  const config = file('openssl.cnf');
  writeFileSync(config, CONFIG);
  const openssl = (args: readonly string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
  };
  const files: TlsFiles = { caFile: file('ca.pem'), certFile: file('server.pem'), keyFile: file('server.key') };
  openssl(['req', '-x509', '-config', config, '-extensions', 'ca_ext', ...EC_KEY, '-keyout', file('ca.key'), '-out', files.caFile, '-days', '2', '-subj', '/CN=parallel-tasks test CA']);
  openssl(['req', '-new', '-config', config, ...EC_KEY, '-keyout', files.keyFile, '-out', file('server.csr'), '-subj', '/CN=127.0.0.1']);
  openssl([
    ...['x509', '-req', '-in', file('server.csr'), '-CA', files.caFile, '-CAkey', file('ca.key')],
    ...['-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '2', '-extfile', config, '-extensions', 'server_ext', '-out', files.certFile],
  ]);
  return files;
}
