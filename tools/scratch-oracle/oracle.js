#!/usr/bin/env node
// Test-only oracle for codehone issue 17: run .sb3 projects in the official Scratch 3 VM
// (scratch-vm from the npm registry, pinned in package-lock.json) headless, and print the
// trace codehone's interpreter is compared with. codehone never ships or imports this.
//
// Input: JSON lines on stdin, one job each:
//   {"id": "...", "sb3": "path/to/project.sb3", "answers": [...], "events": [...], "max_seconds": 60}
//   events as codehone's: {"time": s, "key": "space"} | {"time": s, "click": "Cat"} | {"time": s, "broadcast": "go"}
// Output: one JSON line per job: {"id", "segments", "segment_pens", "log", "sprites", "variables",
//   "frames", "error"}.
//
// The clock is virtual: Date.now() returns frame * 1000 / 30 and stays frozen while a frame's
// threads run; setTimeout (used by say/think-for-secs) fires before the first frame whose time
// has reached its deadline. scratch-vm's sequencer keeps running ticks within a frame until a
// redraw is requested or 75% of the frame's real time is spent; with a frozen clock the time
// budget is replaced by WORK_TICKS ticks (codehone uses the same number).
//
// The renderer is a stub (stub-renderer.js): scratch-render needs WebGL. Its fencing is a port of
// scratch-render's Drawable transform and getFencedPositionOfDrawable; bounds and collisions treat
// the costume as the round 40x40 costume codehone writes (see that file).
'use strict';

const fs = require('fs');
const readline = require('readline');
const {StubRenderer} = require('./stub-renderer');

const FPS = 30;
const WORK_TICKS = 1000;
const realSetImmediate = setImmediate;
// scratch-vm and its extensions log to the console; stdout carries the traces only.
console.log = console.info = console.warn = console.debug = (...a) => process.stderr.write(a.join(' ') + '\n');

// ---------------------------------------------------------------- virtual clock and timers
let nowMs = 0;
let timers = [];
let timerSeq = 0;
// A frame that reads the clock this often is stuck: with the clock frozen, a wait inside a warp
// (run without screen refresh) custom block never ends (Scratch itself freezes for 500 ms of real
// time there). The job fails with this message instead of hanging.
const MAX_CLOCK_READS_PER_FRAME = 5e6;
let clockReads = 0;
Date.now = () => {
    if (++clockReads > MAX_CLOCK_READS_PER_FRAME) {
        throw new Error('oracle: a frame made no progress (a wait inside a warp custom block?)');
    }
    return nowMs;
};
global.setTimeout = (fn, ms, ...args) => {
    let delay = Number(ms);
    if (!(delay >= 1)) delay = 1; // as Node: NaN, 0 and negatives wait 1 ms
    const t = {id: ++timerSeq, due: nowMs + delay, fn, args};
    timers.push(t);
    return t.id;
};
global.clearTimeout = id => {
    timers = timers.filter(t => t.id !== id);
};

const flush = () => new Promise(resolve => realSetImmediate(resolve));

const VirtualMachine = require('scratch-vm');
const ScratchStorage = require('scratch-storage').ScratchStorage || require('scratch-storage');
// scratch-vm logs through minilog; keep stdout for the traces only.
try {
    require('minilog').disable();
} catch (e) { /* not fatal */ }

const JS_KEYS = {'space': ' ', 'up arrow': 'ArrowUp', 'down arrow': 'ArrowDown', 'left arrow': 'ArrowLeft',
    'right arrow': 'ArrowRight', 'enter': 'Enter'};

// Scratch3LooksBlocks._formatBubbleText, copied: what a speech bubble shows for a value.
const formatBubble = text => {
    if (text === '') return text;
    if (typeof text === 'number' && Math.abs(text) >= 0.01 && text % 1 !== 0) text = text.toFixed(2);
    return String(text).substr(0, 330);
};

const hex = c4 => '#' + c4.slice(0, 3).map(c => Math.round(c * 255).toString(16).padStart(2, '0')).join('');
const r6 = v => Math.round(v * 1e6) / 1e6 + 0;

function wrapSpeech (vm, trace, frame) {
    const prims = vm.runtime._primitives;
    const wrap = (opcode, type, key) => {
        const orig = prims[opcode];
        prims[opcode] = (args, util) => {
            const raw = args[key];
            const text = type === 'ask' ? String(raw) : formatBubble(raw);
            if (text !== '' || type === 'ask') {
                trace.log.push({frame: frame(), sprite: util.target.getName(), type, text});
            }
            return orig(args, util);
        };
    };
    wrap('looks_say', 'say', 'MESSAGE');
    wrap('looks_sayforsecs', 'say', 'MESSAGE');
    wrap('looks_think', 'think', 'MESSAGE');
    wrap('looks_thinkforsecs', 'think', 'MESSAGE');
    wrap('sensing_askandwait', 'ask', 'QUESTION');
}

// The random blocks draw from mulberry32(seed) (codehone's runtime/threads.py Mulberry32), so
// programs with "pick random" compare; everything else keeps Math.random.
function mulberry32 (a) {
    return function () {
        a |= 0;
        a = a + 0x6D2B79F5 | 0;
        let t = Math.imul(a ^ a >>> 15, 1 | a);
        t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
        return ((t ^ t >>> 14) >>> 0) / 4294967296;
    };
}

function seedRandomBlocks (vm, seed) {
    const rng = mulberry32(seed);
    const prims = vm.runtime._primitives;
    for (const opcode of ['operator_random', 'motion_goto', 'motion_pointtowards', 'motion_glideto']) {
        const orig = prims[opcode];
        if (!orig) continue;
        prims[opcode] = (args, util) => {
            const saved = Math.random;
            Math.random = rng;
            try {
                return orig(args, util);
            } finally {
                Math.random = saved;
            }
        };
    }
}

function fireEvent (vm, e, pressed) {
    const rt = vm.runtime;
    if (e.key !== undefined) {
        const key = String(e.key);
        const js = JS_KEYS[key] || key;
        rt.ioDevices.keyboard.postData({key: js, isDown: true});
        pressed.push(js);
    } else if (e.click !== undefined) {
        const target = rt.getSpriteTargetByName(String(e.click));
        if (target) rt.startHats('event_whenthisspriteclicked', null, target);
    } else if (e.broadcast !== undefined) {
        rt.startHats('event_whenbroadcastreceived', {BROADCAST_OPTION: String(e.broadcast)});
    }
}

function finalState (vm, renderer) {
    const sprites = {};
    for (const t of vm.runtime.targets) {
        if (t.isStage || !t.isOriginal) continue;
        const pen = t.getCustomState('Scratch.pen');
        sprites[t.getName()] = {
            x: r6(t.x), y: r6(t.y), direction: r6(t.direction), size: r6(t.size), visible: t.visible,
            costume: t.getCostumes()[t.currentCostume].name, pen_down: Boolean(pen && pen.penDown),
            rotation_style: t.rotationStyle
        };
    }
    const variables = {};
    const stage = vm.runtime.getTargetForStage();
    for (const v of Object.values(stage.variables)) {
        if (v.type === '') variables[v.name] = v.value;
    }
    return {sprites, variables, pen_clears: renderer.penClears};
}

async function runJob (job) {
    clockReads = 0;
    nowMs = 0;
    timers = [];
    const trace = {id: job.id, segments: [], segment_pens: [], dots: [], stamps: [], log: [], frames: 0,
        stopped_by_cap: false};
    const vm = new VirtualMachine();
    const renderer = new StubRenderer(trace);
    vm.attachStorage(new ScratchStorage());
    vm.attachRenderer(renderer);
    await vm.loadProject(fs.readFileSync(job.sb3));
    await flush();
    let frame = 0;
    wrapSpeech(vm, trace, () => frame);
    seedRandomBlocks(vm, job.seed || 0);
    const answers = [...(job.answers || [])];
    const events = [...(job.events || [])].sort((a, b) => Number(a.time || 0) - Number(b.time || 0));
    const maxFrames = Math.floor((job.max_seconds || 300) * FPS);
    const rt = vm.runtime;
    rt.currentStepTime = 1000 / FPS;
    let ticks = 0;
    rt.sequencer.timer = {start: () => { ticks = 0; }, timeElapsed: () => (ticks++ >= WORK_TICKS ? Infinity : 0)};
    let questionShown = false; // sensing's question queue is not reachable; its QUESTION events are
    rt.on('QUESTION', q => { questionShown = q !== null; });
    // The mouse rests at the stage's centre (codehone's default), on a 480x360 canvas; until the
    // first mouse event scratch-vm has no mouse x/y at all.
    rt.ioDevices.mouse.postData({x: 240, y: 180, canvasWidth: 480, canvasHeight: 360});
    rt.updateCurrentMSecs();
    vm.greenFlag();
    trace.timeline = [];
    const seen = {};
    const snapshot = () => {
        for (const t of rt.targets) {
            if (t.isStage || !t.isOriginal) continue;
            const key = `${t.x},${t.y},${t.direction},${t.size},${t.visible}`;
            if (seen[t.getName()] !== key) {
                seen[t.getName()] = key;
                trace.timeline.push({frame, sprite: t.getName(), x: r6(t.x), y: r6(t.y), direction: r6(t.direction),
                    size: r6(t.size), visible: t.visible});
            }
        }
    };
    for (;;) {
        nowMs = frame * 1000 / FPS;
        clockReads = 0;
        const due = timers.filter(t => t.due <= nowMs).sort((a, b) => a.due - b.due || a.id - b.id);
        timers = timers.filter(t => t.due > nowMs);
        for (const t of due) t.fn(...t.args);
        await flush();
        const pressed = [];
        while (events.length && Number(events[0].time || 0) * 1000 <= nowMs) fireEvent(vm, events.shift(), pressed);
        rt._step();
        snapshot();
        for (const key of pressed) rt.ioDevices.keyboard.postData({key, isDown: false});
        if (questionShown) {
            questionShown = false; // _onAnswer shows the next queued question, if any, at once
            const answer = answers.length ? String(answers.shift()) : '';
            trace.log.push({frame: frame + 1, sprite: '', type: 'answer', text: answer});
            rt.emit('ANSWER', answer);
        }
        await flush();
        if (rt.threads.length === 0 && events.length === 0) break;
        frame += 1;
        if (frame >= maxFrames) {
            trace.stopped_by_cap = true;
            break;
        }
    }
    trace.frames = frame;
    Object.assign(trace, finalState(vm, renderer));
    for (const key of ['segments', 'dots', 'stamps']) trace[key] = trace[key].map(s => s.map(r6));
    vm.stopAll();
    return trace;
}

async function main () {
    const rl = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
    for await (const line of rl) {
        if (!line.trim()) continue;
        const job = JSON.parse(line);
        let out;
        try {
            out = await runJob(job);
        } catch (e) {
            out = {id: job.id, error: String(e && e.stack || e)};
        }
        process.stdout.write(JSON.stringify(out) + '\n');
    }
}

main();
