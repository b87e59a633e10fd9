// `npm start`: build, then open the Electron app; where Electron's binary is missing and cannot be
// fetched (an offline machine), say so in one line and start the headless host instead.
import { spawn, spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';
import { buildElectronNative } from './electron-native.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const build = spawnSync(bin('electron-vite'), ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) {
  console.error('Build failed; see the errors above.');
  process.exit(build.status ?? 1);
}

let electron = electronBinary(root);
if (!electron && existsSync(join(root, 'node_modules', 'electron', 'install.js'))) {
  // Install keeps Electron's download out of `npm ci` so it succeeds offline; fetch it on first start.
  spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], { cwd: root, stdio: 'ignore', timeout: 300_000 });
  electron = electronBinary(root);
}

// Electron loads better-sqlite3 built for its own ABI (out/native/), never Node's build in node_modules
let headlessReason = "Electron's binary is not available on this machine and could not be downloaded";
if (electron) {
  const native = await buildElectronNative(root, { log: (line) => console.log(line) });
  if (!native.ok) {
    headlessReason = `Electron is installed but ${native.reason}`;
    electron = null;
  }
}

/** True when something accepts connections on 127.0.0.1:port. */
function listening(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

// The embedded default is the devnet profile on loopback: bring the local chains up with the app unless
// they already run (npm run devnet) or TREASURY_NO_DEVNET is set.
let devnet = null;
if (!process.env.TREASURY_NO_DEVNET && !(await listening(8545)) && !(await listening(8546)) && !(await listening(8090))) {
  devnet = spawn(bin('tsx'), ['--tsconfig', join(root, 'tsconfig.node.json'), join(root, 'test/support/devnet/cli.ts')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 100 && !(await listening(8090)); i++) await new Promise((r) => setTimeout(r, 100));
  console.log('Started the local devnet: Polygon 127.0.0.1:8545, BNB Chain 127.0.0.1:8546, Tron 127.0.0.1:8090.');
}

const child = electron
  ? spawn(electron, ['.'], { cwd: root, stdio: 'inherit' })
  : (console.log(`${headlessReason}; starting the headless host instead.`),
    spawn(bin('tsx'), ['--tsconfig', join(root, 'tsconfig.node.json'), join(root, 'electron/host/cli.ts')], { cwd: root, stdio: 'inherit' }));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    child.kill(signal);
    devnet?.kill(signal);
  });
}
child.on('exit', (code) => {
  devnet?.kill('SIGTERM');
  process.exit(code ?? 0);
});
