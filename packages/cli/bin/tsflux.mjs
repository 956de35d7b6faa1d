#!/usr/bin/env node
// The `tsflux` command: runs the built CLI (packages are built by `npm ci` / `npm run build`).
import { main } from "../dist/esm/index.mjs";

process.exitCode = await main(process.argv);
