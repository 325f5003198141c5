/**
 * Entry point of the `kubetune` command (bin/kubetune.js imports the compiled form). Everything
 * else lives in program.ts so tests can build and drive the program without running it.
 */
import { main } from './program.js';

process.exitCode = await main(process.argv.slice(2));
