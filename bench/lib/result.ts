/** Where a benchmark's figures go: one JSON file, with the machine they were measured on. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export async function writeResult(file: string, figures: Record<string, unknown>): Promise<void> {
  const machine = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null };
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `${JSON.stringify({ ...machine, ...figures }, null, 2)}\n`);
}
