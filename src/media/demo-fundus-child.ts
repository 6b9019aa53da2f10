/**
 * Entry point of the child process `drawDemoFundusApart` starts: draws one
 * demo photograph (`<eye> <width> <height>`) and writes the JPEG to stdout.
 */
import { demoFundusJpeg } from './demo-fundus.js';

const [eye, width, height] = process.argv.slice(2);
if ((eye !== 'od' && eye !== 'os') || !Number.isInteger(Number(width)) || !Number.isInteger(Number(height))) {
  process.stderr.write('usage: demo-fundus-child od|os <width> <height>\n');
  process.exit(2);
}
process.stdout.write(await demoFundusJpeg(eye, Number(width), Number(height)));
