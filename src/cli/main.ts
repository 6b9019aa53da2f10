#!/usr/bin/env node
import './heap-tuning.js';
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
});
process.exitCode = code;
// A command that failed half-way (serve that could not listen) may leave a database pool open; end anyway, as before.
if (code !== 0) process.exit();
