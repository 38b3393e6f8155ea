#!/usr/bin/env bash
# `make demo`: the flagship example analysed in the terminal, its record built in out/accord.db, then
# the web workbench serving that same record with the demo accounts, until Ctrl-C.
#
# Settings (environment): ACCORD (the accord command; default .venv/bin/accord), OUT (the folder the
# demo writes; default out), PORT (the workbench's port; default 8000).
set -euo pipefail

cd "$(dirname "$0")/.."
ACCORD=${ACCORD:-.venv/bin/accord}
OUT=${OUT:-out}
PORT=${PORT:-8000}
FLAGSHIP=examples/peace-framework-2025.yaml
DB=$OUT/accord.db

step=0
heading() {  # a numbered heading between steps, in bold on a terminal
    step=$((step + 1))
    if [ -t 1 ]; then
        printf '\n\033[1m%d. %s\033[0m\n\n' "$step" "$1"
    else
        printf '\n%d. %s\n\n' "$step" "$1"
    fi
}

kept() {  # what the demo leaves in $OUT for the user; it makes no temporary files of its own
    [ -f "$DB" ] || return 0
    printf '\nKept in %s/ (make demo builds it afresh; delete the folder when done):\n' "$OUT"
    printf '  accord.db, accord.key   the record of the negotiation, with the demo accounts, and its key\n'
    printf '  *.png                   the pictures\n'
    printf '  checkpoint.txt          the signed checkpoint of the audit log\n'
    if [ -f "$OUT/briefing.html" ]; then
        printf 'The briefing for the mediator: %s/briefing.html\n' "$OUT"
    fi
}
trap kept EXIT
trap 'exit 0' INT TERM # Ctrl-C stops the workbench: the end of the demo, not a failure

mkdir -p "$OUT"
# a record built afresh: the last run's record, key and checkpoint go (nothing else in the folder)
rm -f "$DB" "$DB-wal" "$DB-shm" "$OUT/accord.key" "$OUT/accord.key.pub" "$OUT/checkpoint.txt" \
    "$OUT/briefing.html"

heading "The framework and the parties"
"$ACCORD" validate "$FLAGSHIP"
"$ACCORD" show "$FLAGSHIP"

heading "What draft 3 breaks, and the nearest package that breaks nothing"
"$ACCORD" diagnose "$FLAGSHIP" --draft 3

heading "The best compromise packages for draft 3"
"$ACCORD" solve "$FLAGSHIP" --draft 3

heading "The most contested points"
"$ACCORD" contested "$FLAGSHIP"

heading "The packages no party can improve on without another losing (picture: $OUT/frontier.png)"
"$ACCORD" frontier "$FLAGSHIP" --draft 3 --plot "$OUT/frontier.png"

heading "The record of the negotiation, kept in $DB"
"$ACCORD" import "$FLAGSHIP" --db "$DB"

heading "A new draft E: draft 3 with NATO membership left to a later consensus"
"$ACCORD" draft new --db "$DB" --from 3 --choose 7=no-consensus \
    --reason "membership left to a later consensus" --label E
"$ACCORD" draft diff 3 4 --db "$DB"

heading "Where each party stands on draft 3, and how the drafts converged (pictures in $OUT/)"
"$ACCORD" status --db "$DB" --draft 3 --plot "$OUT"

heading "The audit log: every change chained, and a signed checkpoint of it"
"$ACCORD" audit checkpoint --db "$DB" -o "$OUT/checkpoint.txt"
"$ACCORD" audit verify --db "$DB" --checkpoint "$OUT/checkpoint.txt"

heading "The briefing for the mediator (open it in a browser; --format pdf or docx for print or Word)"
"$ACCORD" brief --db "$DB" --format html -o "$OUT/briefing.html"
printf 'The briefing for the mediator: %s/briefing.html\n' "$OUT"

heading "The workbench on http://127.0.0.1:$PORT, serving this record (Ctrl-C stops it)"
printf 'Log in with one of the accounts below: the mediator sees everything, draft E too; each party\nsees its own preferences and stances and the drafts circulated to it.\n'
"$ACCORD" serve --demo --db "$DB" --port "$PORT"
