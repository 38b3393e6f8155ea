"""How a workbench process uses the machine (no web imports: the CLI reads these for its defaults)."""

from __future__ import annotations

REQUEST_THREADS = 1
"""Threads per process for requests. Python runs one thread at a time: measured on 2 cores
(bench/load.py), one thread per process serves ~10% more requests than two and ~60% more than
anyio's default of 40, which spend their time handing the interpreter lock around; run more
processes (`accord serve --workers N`) for more throughput."""
ANALYSIS_THREADS = 2
"""Threads per process for the compromise engine and document rendering, apart from the request
threads, so a solve of several seconds never holds up a stance or a page (the solvers release the
interpreter lock while they work)."""
YOUNG_OBJECTS_PER_SWEEP = 20_000
"""Python's garbage collector looks at new objects after this many allocations (its default, 700,
made a request every few hundred milliseconds wait for a sweep); everything loaded before the first
request is frozen out of the sweeps (gc.freeze). Measured with bench/load.py on PostgreSQL, 200
users: p99 293 ms with the defaults, 88 ms frozen, 55 ms frozen and with this threshold."""
JOB_THREADS = 1
"""Jobs run at once per server process (a robustness run of minutes, accord.web.jobs): each has a
thread that relays the progress of its analysis, which runs in the process's one job process
(accord.web.job_process), so a job takes one core and the requests keep the other. Jobs beyond
these wait, queued, in the page."""
JOB_NICENESS = 10
"""How much a job's process gives way to the requests where the system cannot run it only when the
cores are otherwise idle (Linux's SCHED_IDLE, accord.web.job_process.give_way): its nice value, raised
by this much. A job's analysis runs in a process of its own, so it never holds the requests'
interpreter lock; a robustness run of minutes costs the pages little and itself runs slower only
while they need the cores."""
SWITCH_INTERVAL = 0.001
"""Seconds a thread may hold the interpreter lock while another waits for it (Python's default is
0.005). A request thread gets the lock back after each database round trip, each fsync, each lock it
waited for; with another thread busy in Python meanwhile (a robustness job's thread, the event loop
parsing a burst of requests) it waited up to the whole interval every time: measured on this machine,
ten 0.3 ms round trips beside a busy thread took 61-150 ms at 0.005 and 5-15 ms at 0.001 (the machine
was loaded; scratch measurement for issue 17). Set in the server's processes only."""
