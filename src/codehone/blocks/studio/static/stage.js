// The stage: plays a run that the studio's server computed with codehone's own interpreter
// (playback.py). Nothing here decides what a block does; it only draws, in time, the pen lines,
// sprite moves and bubbles the run lists. Scratch's stage is 480x360 with (0, 0) in the middle
// and y pointing up.
"use strict";

class StagePlayer {
  constructor(canvas, { onAsk, onEnd }) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.pen = document.createElement("canvas");  // the pen layer, kept between frames
    this.pen.width = canvas.width;
    this.pen.height = canvas.height;
    this.penCtx = this.pen.getContext("2d");
    this.onAsk = onAsk;
    this.onEnd = onEnd;
    this.run = null;
    this.timer = null;
    this.clear();
  }

  sx(x) { return this.canvas.width / 2 + x; }
  sy(y) { return this.canvas.height / 2 - y; }

  clear() {
    this.stopClock();
    this.run = null;
    this.penCtx.clearRect(0, 0, this.pen.width, this.pen.height);
    this.sprites = {};
    this.render();
  }

  load(run) {
    this.stopClock();
    this.run = run;
    this.seek(0);
  }

  // Reset to the start and apply everything up to time t at once (after an answer, the new run
  // is the same up to its question, so playing goes on from there).
  seek(t) {
    const run = this.run;
    this.penCtx.clearRect(0, 0, this.pen.width, this.pen.height);
    this.sprites = {};
    for (const [name, s] of Object.entries(run.initial)) {
      this.sprites[name] = { ...s, bubble: "", kind: "say" };
    }
    this.i = { draw: 0, states: 0, bubbles: 0 };
    this.now = 0;
    this.advance(t, true);
    this.render();
  }

  // Apply the run's events up to time t; bubbles at exactly t only when `inclusive`.
  advance(t, inclusive) {
    const run = this.run, p = this.penCtx;
    while (this.i.draw < run.draw.length && run.draw[this.i.draw].t <= t) {
      const op = run.draw[this.i.draw++];
      if (op.op === "clear") {
        p.clearRect(0, 0, this.pen.width, this.pen.height);
      } else if (op.op === "line") {
        p.strokeStyle = op.color;
        p.lineWidth = op.size;
        p.lineCap = "round";
        p.beginPath();
        p.moveTo(this.sx(op.x1), this.sy(op.y1));
        p.lineTo(this.sx(op.x2), this.sy(op.y2));
        p.stroke();
      } else if (op.op === "dot") {
        p.fillStyle = op.color;
        p.beginPath();
        p.arc(this.sx(op.x), this.sy(op.y), Math.max(op.size, 1) / 2, 0, 2 * Math.PI);
        p.fill();
      }
    }
    while (this.i.states < run.states.length && run.states[this.i.states][0] <= t) {
      const [, name, x, y, direction, size, visible] = run.states[this.i.states++];
      Object.assign(this.sprites[name] || (this.sprites[name] = { bubble: "", kind: "say" }),
                    { x, y, direction, size, visible });
    }
    while (this.i.bubbles < run.bubbles.length &&
           (inclusive ? run.bubbles[this.i.bubbles].t <= t : run.bubbles[this.i.bubbles].t < t)) {
      const b = run.bubbles[this.i.bubbles++];
      if (this.sprites[b.sprite]) Object.assign(this.sprites[b.sprite], { bubble: b.text, kind: b.kind });
    }
    this.now = t;
  }

  play() {
    if (!this.run) return;
    this.seek(0);
    this.resume(0);
  }

  resume(from) {
    this.stopClock();
    const wallStart = performance.now();
    const tick = () => {
      const run = this.run;
      let t = from + (performance.now() - wallStart) / 1000;
      const wait = run.waiting_for_answer;
      if (wait && t >= wait.t) {
        this.advance(wait.t, false);
        const asker = this.sprites[wait.sprite];
        if (asker && asker.visible) Object.assign(asker, { bubble: wait.question, kind: "say" });
        this.render();
        this.timer = null;
        this.onAsk(wait);
        return;
      }
      this.advance(Math.min(t, run.duration), true);
      this.render();
      if (t >= run.duration) {
        this.timer = null;
        this.onEnd(run);
        return;
      }
      this.timer = requestAnimationFrame(tick);
    };
    this.timer = requestAnimationFrame(tick);
  }

  // A new run with one more answer: jump to where the question was and go on playing.
  answered(run, t) {
    this.run = run;
    this.seek(t);
    this.resume(t);
  }

  stopClock() {
    if (this.timer !== null && this.timer !== undefined) cancelAnimationFrame(this.timer);
    this.timer = null;
  }

  get playing() { return this.timer !== null; }

  render() {
    const c = this.ctx;
    c.fillStyle = "#ffffff";
    c.fillRect(0, 0, this.canvas.width, this.canvas.height);
    c.drawImage(this.pen, 0, 0);
    const names = Object.keys(this.sprites);
    for (const name of names) this.drawSprite(name, this.sprites[name], names.length > 1);
    for (const name of names) this.drawBubble(this.sprites[name]);
  }

  drawSprite(name, s, labelled) {
    if (!s.visible) return;
    const c = this.ctx, r = 14 * (s.size || 100) / 100;
    const a = ((s.direction ?? 90) - 90) * Math.PI / 180;
    c.save();
    c.translate(this.sx(s.x), this.sy(s.y));
    c.rotate(a);
    c.fillStyle = "#ffab19";
    c.strokeStyle = "#cf8b17";
    c.lineWidth = 2;
    c.beginPath();
    c.arc(0, 0, r, 0, 2 * Math.PI);
    c.fill();
    c.stroke();
    c.fillStyle = "#ffffff";  // a nose shows which way the sprite points
    c.beginPath();
    c.moveTo(r * 1.45, 0);
    c.lineTo(r * 0.55, -r * 0.45);
    c.lineTo(r * 0.55, r * 0.45);
    c.closePath();
    c.fill();
    c.stroke();
    c.restore();
    if (labelled) {
      c.fillStyle = "#57606a";
      c.font = "11px system-ui, sans-serif";
      c.textAlign = "center";
      c.fillText(name, this.sx(s.x), this.sy(s.y) + r + 12);
    }
  }

  drawBubble(s) {
    if (!s.visible || !s.bubble) return;
    const c = this.ctx;
    c.font = "14px system-ui, sans-serif";
    const lines = wrapText(c, s.bubble, 170);
    const w = Math.max(...lines.map((l) => c.measureText(l).width)) + 16, h = lines.length * 17 + 10;
    let x = this.sx(s.x) + 12, y = this.sy(s.y) - 24 - h;
    x = Math.min(Math.max(x, 2), this.canvas.width - w - 2);
    y = Math.min(Math.max(y, 2), this.canvas.height - h - 2);
    c.fillStyle = "#ffffff";
    c.strokeStyle = "#a0a8b0";
    c.lineWidth = 2;
    c.setLineDash(s.kind === "think" ? [4, 3] : []);
    c.beginPath();
    c.roundRect(x, y, w, h, 10);
    c.fill();
    c.stroke();
    c.setLineDash([]);
    c.fillStyle = "#24292f";
    c.textAlign = "left";
    lines.forEach((l, i) => c.fillText(l, x + 8, y + 20 + i * 17));
  }
}

function wrapText(c, text, width) {
  const out = [];
  let line = "";
  for (const word of String(text).split(/\s+/)) {
    const next = line ? line + " " + word : word;
    if (line && c.measureText(next).width > width) {
      out.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  out.push(line);
  return out.slice(0, 8);
}

window.StagePlayer = StagePlayer;
