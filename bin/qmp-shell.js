#!/usr/bin/env node
import { launch } from './launch.js';

await launch('tools/qmp-shell.js', 'qmp-shell');
