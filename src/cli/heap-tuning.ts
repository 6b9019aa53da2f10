import v8 from 'node:v8';

/**
 * Every uploaded byte passes through a fresh Buffer, and V8 answers that
 * external memory with a scavenge about every 30 MB. Objects that live as
 * long as an upload (its request, streams, promises) survive two of those
 * and are promoted, and with its default growth the old generation then ran
 * a full collection about every 200 ms of intake load. Letting it grow to 4×
 * its live size (V8's own upper bound) cut the server's CPU per intake by
 * about a tenth for some 30 MiB more memory (`npm run bench:intake`). A
 * `--heap-growing-percent` given to node itself wins.
 */
const GROWING_PERCENT = 300;

if (!process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) {
  v8.setFlagsFromString(`--heap-growing-percent=${GROWING_PERCENT}`);
}
