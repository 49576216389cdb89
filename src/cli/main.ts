#!/usr/bin/env node
/**
 * `certn-edge`: run, validate and import Certn request collections (Node, Deno and Bun).
 * Usage: `certn-edge --help`.
 */
import { main } from "./program.ts";
import { exitWhenFlushed, hostArgs, hostRuntime } from "./runtime.ts";

await exitWhenFlushed(await main(hostArgs(), hostRuntime()));
