# shellcheck shell=bash
# Check 8 of the field lab, power cuts; sourced by build/lab/run.sh (uses its
# qemu_cmd, hmp, admin, log and variables).
#
# One boot takes the guest to its board; the driver then waits on the serial
# console and QEMU saves the whole machine (savevm). Each cut resumes that
# snapshot, changes the board at the backend (a large change: many news
# items, new text), tells the guest "go" (the screen restarts and syncs the
# change), and kills QEMU with SIGKILL at a random moment after the screen
# asked for the board: what the guest's page cache held is lost, as in a
# power cut. The host then replays the ext4 journal (e2fsck -fy on a raw copy
# of the disk, no mounts) and opens the cache read-only with `skaerm status`
# (which refuses an inconsistent bbolt file): it must hold one whole
# generation, the one before the sync or the one after.
#
# The last cut's disk is what the next boot (phase final) starts from, which
# shows the board drawn after a cut.

# cut_serial TEXT: sends a line to the guest's serial console.
cut_serial() {
	printf '%s\n' "$1" | socat -t 1 - "UNIX-CONNECT:$work/serial.sock" >/dev/null 2>&1
}

# cut_start PHASE [QEMU ARGS]: QEMU in the background with the serial console
# on a socket (logged to lab-out/serial-cuts.log).
cut_start() {
	local phase="$1"
	shift
	rm -f "$work/serial.sock" "$work/monitor.sock" "$work/qemu.pid"
	qemu_cmd "$phase" online
	cmd+=(-chardev "socket,id=ser0,path=$work/serial.sock,server=on,wait=off,logfile=$out/serial-cuts.log,logappend=on"
		-serial chardev:ser0 "$@")
	nice timeout -k 10 $((600 * slow)) "${cmd[@]}" &
	qpid=$!
	for _ in $(seq 100); do [ -S "$work/monitor.sock" ] && [ -s "$work/qemu.pid" ] && break; sleep 0.1; done
}

cut_kill() {
	kill -KILL "$(cat "$work/qemu.pid")" 2>/dev/null || true
	wait "$qpid" 2>/dev/null || true
	qpid=""
}

# cut_board N: the backend's board changes: 40 news items with new text.
cut_board() {
	local n="$1" i body now
	now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	body="$(printf 'Opslag %s fra strømsvigt-prøven. %.0s' "$n" $(seq 40))"
	for i in $(seq 40); do
		admin PUT "/admin/v1/news/lab-$i" \
			"{\"title\":\"Prøve $n nr. $i\",\"body\":\"$body\",\"published\":\"$now\",\"visible_on_screen\":true,\"department_id\":\"$department\"}" >/dev/null
	done
}

# cut_check N: the disk after cut N: e2fsck, then the cache. Prints a note;
# fails with the reason.
cut_check() {
	local n="$1" rc=0 st gen
	rm -f "$work/cut.raw" "$work/cache.db"
	qemu-img check -q -r leaks "$work/disk.qcow2" >/dev/null 2>&1 || true
	nice qemu-img convert -O raw "$work/disk.qcow2" "$work/cut.raw" || { echo "qemu-img convert failed"; return 1; }
	e2fsck -fy "$work/cut.raw" >"$work/e2fsck.txt" 2>&1 || rc=$?
	cat "$work/e2fsck.txt" >>"$out/cuts-e2fsck.txt"
	if [ "$rc" -ge 4 ]; then
		echo "e2fsck left errors (status $rc)"
		return 1
	fi
	debugfs -R "dump /var/lib/skaerm/cache.db $work/cache.db" "$work/cut.raw" >/dev/null 2>&1
	[ -s "$work/cache.db" ] || { echo "no cache.db on the disk"; return 1; }
	if ! st="$("$work/skaerm" status --cache "$work/cache.db" --json 2>&1)"; then
		echo "the cache does not open: $st"
		return 1
	fi
	printf 'cut %s: %s\n' "$n" "$st" >>"$out/cuts-status.txt"
	gen="$(jq -r .generation <<<"$st")"
	[ "$(jq -r .has_board <<<"$st")" = true ] || { echo "no board in the cache"; return 1; }
	[ "$(jq -r '.recovered // ""' <<<"$st")" = "" ] || { echo "the cache was rebuilt from a corrupt file"; return 1; }
	# The sign-up tapped before the snapshot, still waiting.
	if [ -f "$out/cut-signup" ] && [ "$(jq -r '.outbox.pending' <<<"$st")" != 1 ]; then
		echo "the queued sign-up is gone from the outbox ($(jq -c .outbox <<<"$st"))"
		return 1
	fi
	echo "gen=$gen fsck=$rc"
}

power_cuts() {
	local t0=$SECONDS i note fails="" g0 gen delay fixed=0 newer=0 before lines r
	log "power cuts: booting to the board"
	go build -o "$work/skaerm" ./cmd/skaerm
	# The backend answers 503 to sign-ups from now until the final boot
	# (boards still sync): the sign-up the guest taps before the snapshot
	# waits in its outbox through every cut.
	admin PUT /admin/v1/fault '{"mode":"status:503","path":"/api/screen/v1/signups"}' >/dev/null
	cut_start cut
	local ready=0 t1=$SECONDS
	while kill -0 "$qpid" 2>/dev/null && [ $((SECONDS - t1)) -lt $((600 * slow)) ]; do
		grep -q 'CUT-READY' "$out/serial-cuts.log" 2>/dev/null && ready=1 && break
		serve_requests # the guest's touch asks for the lab's activity and shots
		sleep 0.5
	done
	if [ "$ready" = 0 ]; then
		cut_kill
		echo "FAIL 8 power-cuts: the guest did not reach its board and wait (see lab-out/serial-cuts.log)" >>"$out/results"
		return
	fi
	hmp "savevm cut" >/dev/null
	for _ in $(seq 120); do hmp "info snapshots" | grep -qw cut && break; sleep 1; done
	if ! hmp "info snapshots" | grep -qw cut; then
		cut_kill
		echo "FAIL 8 power-cuts: QEMU did not save the snapshot: $(hmp 'info snapshots' | tail -n 2 | tr '\n' ' ')" >>"$out/results"
		return
	fi
	hmp quit >/dev/null
	wait "$qpid" 2>/dev/null || true
	qpid=""
	log "snapshot saved after $((SECONDS - t0)) s"
	g0="$(cut_check 0 | sed -n 's/^gen=\([0-9]*\).*/\1/p')"
	g0="${g0:-0}"
	for i in $(seq "$cuts"); do
		cut_board "$i"
		before="$(grep -c 'GET /api/screen/v1/board' "$out/gate.log" || true)"
		cut_start "cut" -loadvm cut
		cut_serial go
		# Wait for the screen to ask for the changed board, then cut within
		# the next 0-4 s: during the download, the write or just after it.
		for _ in $(seq 240); do
			lines="$(grep -c 'GET /api/screen/v1/board' "$out/gate.log" || true)"
			[ "$lines" -gt "$before" ] && break
			sleep 0.25
		done
		delay="$((RANDOM % 4000))"
		sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
		cut_kill
		if [ "$lines" -le "$before" ]; then
			fails="${fails:+$fails; }cut $i: the screen never asked for the board"
		fi
		if r="$(cut_check "$i")"; then
			log "cut $i after ${delay} ms: $r"
			case "$r" in *fsck=[123]*) fixed=$((fixed + 1)) ;; esac
			gen="$(sed -n 's/^gen=\([0-9]*\).*/\1/p' <<<"$r")"
			# Each cut starts from the snapshot's generation g0.
			if [ "${gen:-0}" -lt "$g0" ]; then
				fails="${fails:+$fails; }cut $i: generation $gen is older than the snapshot's $g0"
			fi
			[ "${gen:-0}" -gt "$g0" ] && newer=$((newer + 1))
		else
			log "cut $i after ${delay} ms: FAILED: $r"
			fails="${fails:+$fails; }cut $i: $r"
		fi
	done
	rm -f "$work/cut.raw"
	note="$cuts cuts, the cache whole after each (from generation $g0: $newer cuts kept the synced board, $((cuts - newer)) the one before), e2fsck repaired the file system after $fixed"
	[ -f "$out/cut-signup" ] && note="$note; the sign-up queued before them in the outbox after every cut"
	if [ -z "$fails" ]; then
		echo "ok 8 power-cuts: $note ($((SECONDS - t0)) s)" >>"$out/results"
	else
		echo "FAIL 8 power-cuts: $fails [$note] ($((SECONDS - t0)) s)" >>"$out/results"
	fi
}
