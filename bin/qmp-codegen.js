#!/usr/bin/env node
import { launch } from './launch.js';

await launch('codegen/cli.js', 'qmp-codegen');
