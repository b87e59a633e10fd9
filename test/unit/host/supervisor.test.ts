import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { supervise } from '../../../electron/host/supervisor';

/** A child in plain node: counts its runs in a file, says ready (or not), then ends as told for that run. */
function child(behaviour: string): { args: string[]; runs: () => number } {
  const counter = join(mkdtempSync(join(tmpdir(), 'treasury-supervisor-')), 'runs');
  writeFileSync(counter, '0');
  const script = `
    const fs = require('node:fs');
    const run = Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8')) + 1;
    fs.writeFileSync(${JSON.stringify(counter)}, String(run));
    ${behaviour}
  `;
  return { args: ['-e', script], runs: () => Number(readFileSync(counter, 'utf8')) };
}

const options = (args: string[], log: string[]) => ({ command: process.execPath, args, env: process.env, log: (m: string) => log.push(m), minDelayMs: 20, maxDelayMs: 80 });

describe('host supervisor', () => {
  it('restarts a host that crashes after it served, until one stays up', async () => {
    // Runs 1 and 2 crash (an uncaught error, then kill -9 of itself); run 3 serves until stopped.
    const c = child(`
      process.send('ready');
      if (run === 1) setTimeout(() => { throw new Error('engine blew up'); }, 10);
      else if (run === 2) setTimeout(() => process.kill(process.pid, 'SIGKILL'), 10);
      else { process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000); }
    `);
    const log: string[] = [];
    const supervisor = supervise(options(c.args, log));
    while (c.runs() < 3) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    expect(supervisor.pid()).toBeGreaterThan(0);
    supervisor.stop();
    expect(await supervisor.done).toBe(0);
    expect(c.runs()).toBe(3);
    expect(log).toEqual([expect.stringContaining('exit code 1'), expect.stringContaining('SIGKILL')]);
  });

  it('passes on the code of a host that fails to start, without restarting it', async () => {
    const c = child(`console.error('The data folder is in use by the headless host, pid 1'); process.exit(1);`);
    const log: string[] = [];
    const supervisor = supervise(options(c.args, log));
    expect(await supervisor.done).toBe(1);
    await new Promise((r) => setTimeout(r, 150));
    expect(c.runs()).toBe(1);
    expect(log).toEqual([]);
  });
});
