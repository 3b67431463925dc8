// codehone studio: the chat, the blocks as they stream in, the stage, and the buttons.
// Every request goes to this page's own server; each tab keeps its own conversation id in
// sessionStorage, so two tabs never share a program.
"use strict";

const $ = (id) => document.getElementById(id);
const REQUEST_TIMEOUT_MS = 180000;  // the page never waits forever, even if the server does

function sessionId() {
  let id = sessionStorage.getItem("codehone-session");
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    sessionStorage.setItem("codehone-session", id);
  }
  return id;
}

const state = {
  session: sessionId(),
  busy: false,
  program: null,  // the current program's text (the conversation's, on the server)
  answers: [],    // answers typed on the stage for the current program
  run: null,
};
// Timings of the last turn, read by the studio benchmark and the browser tests.
window.studioStats = { turns: [] };

function say(text, who) {
  const li = document.createElement("li");
  li.className = who;
  li.textContent = text;
  $("log").appendChild(li);
  li.scrollIntoView({ block: "end" });
  return li;
}

function status(text) { $("status").textContent = text || ""; }

async function problemText(response) {
  try {
    const body = await response.json();
    if (body && body.error) return typeof body.error === "string" ? body.error : body.error.message;
  } catch (e) { /* not JSON */ }
  return `Something went wrong (${response.status}). Please try again.`;
}

function blocksSvg(text) {
  const doc = scratchblocks.parse(text, { languages: ["en"] });
  // scale 1: the library scales with an inline style, which the page's Content-Security-Policy refuses
  return scratchblocks.render(doc, { style: "scratch3", scale: 1 });
}

function renderBlocks(text, count) {
  const box = $("blocks");
  box.replaceChildren(blocksSvg(text));
  box.dataset.count = String(count);
  $("ghosts").hidden = true;
}

function setProgram(program, blocks, count, run) {
  state.program = program;
  state.answers = [];
  renderBlocks(blocks, count);
  $("explain").disabled = false;
  $("suggest").disabled = false;
  $("download").classList.remove("disabled");
  $("download").removeAttribute("aria-disabled");
  $("download").href = `/api/sb3?session=${encodeURIComponent(state.session)}`;
  loadRun(run);
}

// ------------------------------------------------------------------ chat
async function send(prompt) {
  if (state.busy) return;
  state.busy = true;
  $("send").disabled = true;
  say(prompt, "child");
  status("The copilot is writing blocks…");
  const turn = { enter: performance.now(), firstBlock: null, done: null, count: 0, ok: false };
  window.studioStats.turns.push(turn);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch("/api/chat", {
      method: "POST", headers: { "Content-Type": "application/json" }, signal: abort.signal,
      body: JSON.stringify({ session: state.session, prompt }),
    });
    if (!response.ok) {
      say(await problemText(response), "problem");
      return;
    }
    await readEvents(response, turn);
  } catch (e) {
    say(abort.signal.aborted ? "The copilot took too long. Please try again." :
        "I lost the connection to the copilot. Is the studio still running?", "problem");
  } finally {
    clearTimeout(timer);
    turn.done = performance.now();
    state.busy = false;
    $("send").disabled = false;
    status("");
  }
}

async function readEvents(response, turn) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line) handleEvent(JSON.parse(line), turn);
    }
  }
}

function handleEvent(ev, turn) {
  if (ev.type === "blocks") {
    if (turn.firstBlock === null) status("The copilot is writing blocks…");
    renderBlocks(ev.blocks, ev.count);
    if (turn.firstBlock === null && ev.count > 0) turn.firstBlock = performance.now();
    turn.count = ev.count;
  } else if (ev.type === "status") {
    status(ev.message);
  } else if (ev.type === "note") {
    say(ev.message, "copilot");
  } else if (ev.type === "error") {
    say(ev.message, "problem");
    if (state.program === null) $("blocks").replaceChildren();
  } else if (ev.type === "done") {
    if (ev.program) {
      setProgram(ev.program, ev.blocks, ev.count, ev.run);
      if (turn.firstBlock === null) turn.firstBlock = performance.now();
      turn.count = ev.count;
      turn.ok = true;
      say(ev.message || `Here are your blocks (${ev.count}). Press ▶ Play to run them again.`, "copilot");
    } else {
      say(ev.message, "copilot");
    }
  }
}

// ------------------------------------------------------------------ stage
const player = new StagePlayer($("stage"), {
  onAsk: (wait) => {
    $("question").textContent = wait.question || "Your answer:";
    $("answer-form").hidden = false;
    $("answer").value = "";
    $("answer").focus();
    $("stop").disabled = false;
  },
  onEnd: (run) => {
    $("stop").disabled = true;
    $("stage-note").textContent = run.stopped_by_cap ?
      "The stage stopped the program: it was still going after the step limit, so it may loop forever." :
      (run.notes && run.notes.length ? run.notes.join(" ") : "Done!");
  },
});

function loadRun(run) {
  state.run = run;
  $("answer-form").hidden = true;
  player.load(run);
  $("play").disabled = false;
  playStage();
}

function playStage() {
  if (!state.run) return;
  $("answer-form").hidden = true;
  $("stage-note").textContent = "";
  $("stop").disabled = false;
  if (state.answers.length) {  // play from the start: the answers are asked again
    state.answers = [];
    fetchRun([]).then((run) => { state.run = run; player.load(run); player.play(); });
  } else {
    player.play();
  }
}

async function fetchRun(answers) {
  const response = await fetch("/api/run", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ session: state.session, answers }),
  });
  if (!response.ok) throw new Error(await problemText(response));
  return response.json();
}

$("answer-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const wait = state.run.waiting_for_answer;
  state.answers.push($("answer").value);
  $("answer-form").hidden = true;
  try {
    const run = await fetchRun(state.answers);
    state.run = run;
    player.answered(run, wait.t);
  } catch (e) {
    $("stage-note").textContent = e.message;
  }
});

$("play").addEventListener("click", playStage);
$("stop").addEventListener("click", () => {
  player.stopClock();
  $("answer-form").hidden = true;
  $("stop").disabled = true;
  $("stage-note").textContent = "Stopped.";
});

// ------------------------------------------------------------------ buttons
$("ask-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const prompt = $("prompt").value;
  $("prompt").value = "";
  send(prompt);
});
$("prompt").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    $("ask-form").requestSubmit();
  }
});

$("new").addEventListener("click", async () => {
  await fetch("/api/reset", { method: "POST", headers: { "Content-Type": "application/json" },
                               body: JSON.stringify({ session: state.session }) });
  state.program = null;
  state.run = null;
  player.clear();
  $("blocks").replaceChildren();
  $("blocks").dataset.count = "0";
  $("explain").disabled = true;
  $("suggest").disabled = true;
  $("ghosts").hidden = true;
  $("play").disabled = true;
  $("download").classList.add("disabled");
  say("Let's make something new! What should it do?", "copilot");
});

$("explain").addEventListener("click", async () => {
  const response = await fetch("/api/explain", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ session: state.session, answers: state.answers }),
  });
  say(response.ok ? (await response.json()).explanation : await problemText(response),
      response.ok ? "copilot explanation" : "problem");
});

// Teach me: the same request as steps of a few blocks, each with the program as it stands after it.
$("teach").addEventListener("click", async () => {
  const prompt = $("prompt").value;
  if (state.busy) return;
  state.busy = true;
  $("teach").disabled = true;
  $("prompt").value = "";
  say(`Teach me: ${prompt}`, "child");
  status("The copilot is planning the steps…");
  try {
    const response = await postJson("/api/tutor", { session: state.session, prompt });
    if (!response.ok) {
      say(await problemText(response), "problem");
      return;
    }
    const lesson = await response.json();
    if (!lesson.steps.length) {
      say(lesson.message, "copilot");
      return;
    }
    for (const step of lesson.steps) {
      const li = say(`Step ${step.number}: ${step.sentence}`, "copilot step");
      li.appendChild(blocksSvg(step.blocks));
    }
    setProgram(lesson.program, lesson.blocks, lesson.count, lesson.run);
  } finally {
    state.busy = false;
    $("teach").disabled = false;
    status("");
  }
});

// Next-block ideas, drawn as ghost blocks; a click adds one at the end of the program.
$("suggest").addEventListener("click", async () => {
  $("suggest").disabled = true;
  status("Thinking of next blocks…");
  try {
    const response = await postJson("/api/next", { session: state.session });
    if (!response.ok) {
      say(await problemText(response), "problem");
      return;
    }
    const { suggestions } = await response.json();
    const list = $("ghost-list");
    list.replaceChildren();
    suggestions.forEach((s, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.title = s.line.trim();
      button.appendChild(blocksSvg(s.block));
      button.addEventListener("click", () => addSuggestion(index));
      list.appendChild(button);
    });
    $("ghosts").hidden = suggestions.length === 0;
    if (!suggestions.length) say("I have no idea for a next block here. What would you like to add?", "copilot");
  } finally {
    $("suggest").disabled = false;
    status("");
  }
});

async function addSuggestion(index) {
  const response = await postJson("/api/next/add", { session: state.session, index });
  if (!response.ok) {
    say(await problemText(response), "problem");
    return;
  }
  const added = await response.json();
  setProgram(added.program, added.blocks, added.count, added.run);
}

function postJson(url, body) {
  return fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

$("open").addEventListener("change", async () => {
  const file = $("open").files[0];
  $("open").value = "";
  if (!file) return;
  say(`Open ${file.name}`, "child");
  const response = await fetch(`/api/open?session=${encodeURIComponent(state.session)}`, {
    method: "POST", headers: { "Content-Type": "application/octet-stream" }, body: file,
  });
  if (!response.ok) {
    say(await problemText(response), "problem");
    return;
  }
  const opened = await response.json();
  setProgram(opened.program, opened.blocks, opened.count, opened.run);
  if (opened.message) say(opened.message, "copilot");
  say(opened.explanation, "copilot explanation");
});

say("Hi! Tell me what your program should do, and I will build it with blocks.", "copilot");
