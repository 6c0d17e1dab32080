#!/bin/bash
# The lab's scenario, run inside the booted guest by skaerm-lab.service, one
# phase per boot (build/lab/run.sh chooses it on the kernel command line):
#
#   install   1: apt install the .deb; set [backend] url; power off
#   online    2, 3, 4, 5, 6, 7, 12: the screen after a reboot, pairing,
#             touch, motion sensor, CEC, the watchdog, the sandbox
#   offline   9: boot with the backend gone
#   clock-*   10: boot with the clock in 1970 or three days behind
#   cut       8: the power cuts' boot: a sign-up queued while the backend
#             refuses sign-ups, then the snapshot (build/lab/cuts.sh)
#   final     8 (the queued sign-up reaches the backend once), 11: upgrade
#             and purge
#
# /lab is the lab's folder on the host (virtio 9p): debs/ holds the packages,
# out/ gets the result lines (out/results), logs and screenshots, and req/
# carries requests the host answers in rep/ (approve a pairing code, add the
# lab's activity, read the backend's sign-ups, take a shot). Each check
# writes one line: "ok N name: detail", "FAIL N name: detail" or "skip N
# name: reason".
set -u
phase="${1:-}"
# How much slower than an emulated amd64 this guest runs (2 for arm64):
# every wait is that much longer.
SLOW="$(sed -n 's/.*skaerm\.lab\.slow=\([0-9]*\).*/\1/p' /proc/cmdline)"
SLOW="${SLOW:-1}"
LAB=/lab
OUT=$LAB/out
# lab-out/ on the host, a second shared folder.
mountpoint -q "$OUT" || mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 labout "$OUT"
export XAUTHORITY=/run/skaerm-kiosk/Xauthority DISPLAY=:0
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

say() { printf 'LAB %s\n' "$*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# --- Checks: begin N NAME; expect WHAT COMMAND...; note TEXT; end.
cur_num="" cur_name="" cur_fail="" cur_note="" cur_t0=""
begin() {
	cur_num="$1" cur_name="$2" cur_fail="" cur_note="" cur_t0="$(uptime_s)"
	say "check $cur_num $cur_name: started"
}
# expect WHAT COMMAND...: runs COMMAND (output to the check's log); a
# failure adds WHAT to the check's failures.
expect() {
	local what="$1"
	shift
	printf '$ %s\n' "$*" >>"$OUT/check-$cur_num.log"
	if ! "$@" >>"$OUT/check-$cur_num.log" 2>&1; then
		cur_fail="${cur_fail:+$cur_fail; }$what"
		say "  not: $what"
	fi
}
fail() { cur_fail="${cur_fail:+$cur_fail; }$*"; say "  not: $*"; }
note() { cur_note="${cur_note:+$cur_note, }$*"; }
end() {
	local took line
	took="$(awk -v a="$cur_t0" -v b="$(uptime_s)" 'BEGIN { printf "%.0f", b - a }')"
	if [ -z "$cur_fail" ]; then
		line="ok $cur_num $cur_name: ${cur_note:-done} (${took} s)"
	else
		line="FAIL $cur_num $cur_name: $cur_fail${cur_note:+ [$cur_note]} (${took} s)"
	fi
	say "$line"
	printf '%s\n' "$line" >>"$OUT/results"
}
skip() { # N NAME REASON
	say "skip $1 $2: $3"
	printf 'skip %s %s: %s\n' "$1" "$2" "$3" >>"$OUT/results"
}

# wait_for SECONDS COMMAND...: polls COMMAND every second until it succeeds
# or SECONDS (of the guest's uptime) have passed.
wait_for() {
	local end
	end="$(awk -v a="$(uptime_s)" -v n="$1" -v s="$SLOW" 'BEGIN { printf "%d", a + n * s }')"
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$(uptime_s | cut -d. -f1)" -lt "$end" ] || return 1
		sleep 1
	done
}

# ask VERB [ARGS]: a request to the host; prints its answer, fails when the
# host reports a failure or does not answer within a minute.
ask() {
	# An id of its own: ask may run in a subshell ($(ask ...)), where a
	# counter would not count.
	local id="$phase-$(uptime_s)-$RANDOM" n=120
	mkdir -p "$LAB/req" "$LAB/rep"
	printf '%s\n' "$*" >"$LAB/req/$id.tmp" && mv "$LAB/req/$id.tmp" "$LAB/req/$id"
	while [ ! -f "$LAB/rep/$id.done" ] && [ "$n" -gt 0 ]; do
		sleep 0.5
		n=$((n - 1))
	done
	[ -f "$LAB/rep/$id.done" ] || return 1
	cat "$LAB/rep/$id"
	[ "$(cat "$LAB/rep/$id.done")" = 0 ]
}

active() { [ "$(systemctl is-active "$1")" = active ]; }
mainpid() { systemctl show -p MainPID --value "$1"; }
# status_field NAME: a field of `skaerm status --json`.
status_field() {
	skaerm status --json 2>/dev/null | sed -n "s/^ *\"$1\": *\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" | head -n 1
}
# shot NAME: what the display shows, as $OUT/NAME.png (and /tmp/NAME.ppm to
# compare). The host takes it from QEMU's display (screendump): xwd -root
# inside the guest reads X's root window, which stays black while the
# screen's full-screen GL window is page-flipped straight to the display.
shot() {
	rm -f "$OUT/$1.ppm"
	ask "shot $1" >/dev/null && [ -s "$OUT/$1.ppm" ] || return 1
	cp "$OUT/$1.ppm" "/tmp/$1.ppm" && rm -f "$OUT/$1.ppm" && pnmtopng <"/tmp/$1.ppm" >"$OUT/$1.png"
}
# colours NAME: how many colours the screenshot has (1 = blank).
colours() { ppmhist -noheader "/tmp/$1.ppm" 2>/dev/null | wc -l; }
# differs A B: the share of pixels (in %) that differ between two shots
# (white, 0, in the thresholded bitmap).
differs() {
	pamarith -difference "/tmp/$1.ppm" "/tmp/$2.ppm" 2>/dev/null | ppmtopgm | pgmtopbm -threshold -value 0.02 |
		pnmtoplainpnm | awk 'NR > 2 { for (i = 1; i <= length($0); i++) { c = substr($0, i, 1); if (c == "0") d++; if (c == "0" || c == "1") t++ } }
			END { printf "%.1f", t ? 100 * d / t : 100 }'
}
# within A B PERCENT: the two shots differ in fewer than PERCENT % of pixels.
within() { awk -v d="$(differs "$1" "$2")" -v m="$3" 'BEGIN { exit !(d != "" && d < m) }'; }
# beyond A B PERCENT: they differ in more than PERCENT % of pixels.
beyond() { awk -v d="$(differs "$1" "$2")" -v m="$3" 'BEGIN { exit !(d != "" && d > m) }'; }
has_board() { [ "$(status_field has_board)" = true ]; }
# screen_offset: the seconds the running screen adds to the system clock, from
# its report ("this screen's clock is 5211h23m41s behind the backend's").
screen_offset() {
	skaerm status 2>/dev/null | sed -n 's/^clock:.*this screen.s clock is \([^ ]*\) \(behind\|ahead\).*/\1 \2/p' | head -n 1 |
		awk '{ d = $1; t = 0
			while (match(d, /^[0-9.]+(h|ms|us|ns|m|s)/)) {
				u = substr(d, RSTART, RLENGTH); d = substr(d, RLENGTH + 1); n = u + 0; sub(/^[0-9.]+/, "", u)
				if (u == "h") t += n * 3600; else if (u == "m") t += n * 60; else if (u == "s") t += n; else if (u == "ms") t += n / 1000
			}
			printf "%d\n", ($2 == "ahead" ? -t : t) }'
}
# board_drawn NAME: the shot shows a board: not blank, and no single colour
# covers 90 % of it (the "Skærmen starter" screen before the first board is
# 97 % background, a board about 50-75 %).
board_drawn() {
	ppmhist -noheader "/tmp/$1.ppm" 2>/dev/null | awk '{ n += $NF; if ($NF > m) m = $NF } END { exit !(n > 0 && m / n < 0.9) }'
}
# shot_board NAME SECONDS: shots until one shows a board (and not the
# pairing screen), for at most SECONDS.
shot_board() {
	local end=$(($(uptime_s | cut -d. -f1) + $2))
	while :; do
		if shot "$1" && board_drawn "$1" && { [ ! -f /tmp/02-first.ppm ] || beyond 02-first "$1" 5; }; then
			return 0
		fi
		[ "$(uptime_s | cut -d. -f1)" -lt "$end" ] || return 1
		sleep 2
	done
}
clock_taken() { [ -n "$(status_field clock_offset)" ]; }
cache_kept() { [ "$(status_field generation)" -ge "$1" ] && has_board; }

# first_frame: seconds from kernel start to skaerm.service reporting READY=1
# (skaerm sends it once its first frame is on the screen).
first_frame() {
	local us
	us="$(systemctl show -p ActiveEnterTimestampMonotonic --value skaerm.service)"
	awk -v u="$us" 'BEGIN { printf "%.1f", u / 1e6 }'
}
# own_start: seconds from skaerm.service's start to its READY=1: the
# screen's own start-up, without the rest of the boot (which the shared
# machine's load stretches by tens of seconds from one boot to the next).
own_start() {
	local a b
	a="$(systemctl show -p ExecMainStartTimestampMonotonic --value skaerm.service)"
	b="$(systemctl show -p ActiveEnterTimestampMonotonic --value skaerm.service)"
	awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", (b - a) / 1e6 }'
}
# boot_chain: the boot's way to the screen: `systemd-analyze critical-chain`
# of skaerm.service and skaerm-kiosk.service (out/critical-chain-PHASE.txt)
# and the timeline kernel start -> Xorg ready -> skaerm started -> READY=1
# (its first frame) -> first frame on the display, SHOWN seconds after
# kernel start (out/timeline-PHASE.txt). Prints the timeline on one line.
boot_chain() {
	local shown="$1" u
	# critical-chain answers once the boot has finished.
	wait_for 60 systemd-analyze critical-chain --no-pager skaerm.service
	{
		# critical-chain's times count from the start of userspace.
		echo "\$ systemd-analyze time"
		systemd-analyze time --no-pager 2>&1
		echo
	} >"$OUT/critical-chain-$phase.txt"
	for u in skaerm.service skaerm-kiosk.service; do
		echo "\$ systemd-analyze critical-chain $u"
		systemd-analyze critical-chain --no-pager "$u" 2>&1
		echo
	done >>"$OUT/critical-chain-$phase.txt"
	mono() { systemctl show -p "$2" --value "$1" | awk '{ printf "%.1f", $1 / 1e6 }'; }
	{
		echo "kernel start 0.0"
		echo "Xorg ready (skaerm-kiosk active) $(mono skaerm-kiosk.service ActiveEnterTimestampMonotonic)"
		echo "skaerm.service started $(mono skaerm.service ExecMainStartTimestampMonotonic)"
		echo "skaerm READY=1 (first frame drawn) $(mono skaerm.service ActiveEnterTimestampMonotonic)"
		echo "first frame on the display ${shown:-?}"
	} >"$OUT/timeline-$phase.txt"
	awk '{ v = $NF; $NF = ""; printf "%s%s%s s", (NR > 1 ? " -> " : ""), $0, v }' "$OUT/timeline-$phase.txt"
}
# first_shown NAME: seconds after kernel start at which the display first
# shows something (a shot NAME that is not blank), polled for 60 s.
first_shown() {
	local end=$(($(uptime_s | cut -d. -f1) + 60))
	while [ "$(uptime_s | cut -d. -f1)" -lt "$end" ]; do
		if shot "$1" && [ "$(colours "$1")" -gt 2 ]; then
			uptime_s | awk '{ printf "%.1f", $1 }'
			return 0
		fi
		sleep 1
	done
	return 1
}
save_logs() {
	journalctl -b --no-pager -o short-monotonic >"$OUT/journal-$phase.txt" 2>&1
	cp /run/skaerm-kiosk/Xorg.0.log "$OUT/Xorg-$phase.log" 2>/dev/null || true
	systemd-analyze blame --no-pager >"$OUT/blame-$phase.txt" 2>&1 || true
}
finish() {
	save_logs
	# The next boot is to start like a Pi without a saved time: no clock
	# file of systemd-timesyncd (it would set the clock to the last
	# shutdown), so only the RTC and systemd's own build-time floor count.
	if [ -f "$LAB/clear-clock" ]; then
		systemctl stop systemd-timesyncd.service
		rm -f /var/lib/systemd/timesync/clock
	fi
	say "phase $phase done"
	sync
	systemctl poweroff
	exit 0
}

not() { ! "$@"; }
# as_service COMMAND...: runs COMMAND as the running skaerm.service sees the
# system: in its mount namespace, as its user with its groups.
svc_pid=""
as_service() { nsenter -t "$svc_pid" -m -- setpriv --reuid=skaerm --regid=skaerm --init-groups -- "$@"; }

wait_screen() { # SECONDS: skaerm.service active (its first frame drawn)
	wait_for "$1" active skaerm.service
}

# --- Phases

# The online boot's board, to compare later boots with.
for f in 02-first 03-board; do
	[ -f "$OUT/$f.png" ] && pngtopnm "$OUT/$f.png" >"/tmp/$f.ppm" 2>/dev/null
done

phase_install() {
	begin 1 install
	local deb
	deb="$(ls "$LAB"/debs/skaerm_*_N.deb 2>/dev/null | head -n 1)"
	deb="$(readlink -f "$deb")"
	[ -f "$deb" ] || fail "no package in $LAB/debs"
	cp "$deb" /tmp/
	expect "apt install" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "/tmp/$(basename "$deb")"
	cp "$OUT/check-1.log" "$OUT/install.log"
	expect "user skaerm" id skaerm
	for g in video render input gpio; do
		expect "skaerm in group $g" sh -c "id -nG skaerm | tr ' ' '\n' | grep -qx $g"
	done
	expect "/var/lib/skaerm 0700 skaerm" test "$(stat -c '%a %U' /var/lib/skaerm)" = "700 skaerm"
	expect "/etc/skaerm/config.toml" test -f /etc/skaerm/config.toml
	expect "skaerm-screen installed" test -x /usr/lib/skaerm/skaerm-screen
	for u in skaerm.service skaerm-kiosk.service; do
		expect "$u enabled" test "$(systemctl is-enabled $u)" = enabled
	done
	expect "nothing started by the install" sh -c '! systemctl is-active -q skaerm.service'
	expect "skaerm version" skaerm version
	expect "man skaerm" sh -c 'man -P cat skaerm 2>&1 | grep -q "skaerm doctor"'
	expect "man skaerm-config" sh -c 'man -P cat 5 skaerm-config 2>&1 | grep -q "\[backend\]"'
	note "$(dpkg-query -W -f='${Version}' skaerm)"
	end
	# The technician's step: the backend's address (and the lab's certificate
	# authority, as for a backend with a private CA).
	install -m 0644 "$LAB/ca.pem" /etc/skaerm/lab-ca.pem
	sed -i 's|^url = .*|url = "https://backend.lab"|; s|^ca_file = .*|ca_file = "/etc/skaerm/lab-ca.pem"|' /etc/skaerm/config.toml
	# No off hours and no night page: what the display shows must not
	# depend on the hour the lab runs at (check 6 sets its own schedule).
	set_power schedule '[]' night_page '"0s"'
	cp /etc/skaerm/config.toml "$OUT/config.toml"
	finish
}

phase_online() {
	begin 2 boot
	if wait_screen 240; then
		note "first frame $(first_frame) s after kernel start"
	else
		fail "skaerm.service not active after 240 s ($(systemctl is-active skaerm.service))"
	fi
	first_frame >"$OUT/first-frame-online"
	own_start >"$OUT/own-start-online"
	expect "skaerm-kiosk active" active skaerm-kiosk.service
	expect "Xorg on tty1" sh -c 'pgrep -x Xorg && grep -q "using VT number 1" /run/skaerm-kiosk/Xorg.0.log && [ "$(cat /sys/class/tty/tty0/active)" = tty1 ]'
	expect "no getty on tty1" sh -c '! systemctl is-active -q getty@tty1.service'
	expect "the screen and Xorg run ahead of background work (nice -5)" sh -c "[ \$(ps -o ni= -p $(mainpid skaerm.service)) -eq -5 ] && [ \$(ps -o ni= -p $(mainpid skaerm-kiosk.service)) -eq -5 ]"
	# READY=1 comes once the first frame is drawn; the display may show it a
	# little later: how much later is noted.
	local ready shown=""
	ready="$(first_frame)"
	if shown="$(first_shown 02-first)"; then
		note "on the display by $shown s (READY=1 at $ready s)"
	else
		fail "the display stayed blank for 60 s after READY=1"
	fi
	note "kiosk ready $(systemctl show -p ActiveEnterTimestampMonotonic --value skaerm-kiosk.service | awk '{ printf "%.1f", $1 / 1e6 }') s"
	systemd-analyze blame --no-pager 2>/dev/null | grep -E 'skaerm|systemd-networkd|udev' >"$OUT/blame-units.txt"
	say "  $(boot_chain "$shown")"
	expect "systemd-analyze critical-chain skaerm.service" grep -q 'skaerm.service' "$OUT/critical-chain-online.txt"
	end
	# Without a screen the rest cannot run: the host marks them failed.
	active skaerm.service || finish

	begin 3 pairing
	expect "status says it waits for pairing" wait_for 30 sh -c "skaerm status >'$OUT/status-pairing.txt' 2>&1; grep -qi pair '$OUT/status-pairing.txt'"
	local code
	if code="$(ask approve)"; then
		note "code $code approved"
	else
		fail "the lab could not approve a pairing code: $code"
	fi
	expect "token file written" wait_for 90 test -s /var/lib/skaerm/token
	expect "a board synced" wait_for 90 has_board
	expect "the board drawn (not the pairing or start screen)" shot_board 03-board 90
	skaerm status >"$OUT/status-online.txt" 2>&1
	skaerm doctor >"$OUT/doctor-online.txt" 2>&1
	expect "skaerm status" skaerm status
	expect "skaerm doctor reports no FAIL" skaerm doctor
	note "generation $(status_field generation)"
	journalctl -b --no-pager -o cat >/tmp/journal.txt
	local hits
	# Names as written (capitalised): "Line" is a name, "line" a word.
	hits="$(grep -owFf "$LAB/names" /tmp/journal.txt | sort -u | paste -sd, -)"
	[ -z "$hits" ] || fail "names in the journal: $hits"
	note "journal $(wc -l </tmp/journal.txt) lines, $(wc -l <"$LAB/names") names looked for"
	end

	check_touch
	check_gpio
	check_cec

	begin 7 watchdog
	local pid xpid t0
	pid="$(mainpid skaerm.service)"
	# The board as it is now, to compare with after the restart (the
	# board of a few minutes later may show another shift).
	expect "the board before" shot_board 07-before 60
	t0="$(uptime_s)"
	kill -STOP "$pid"
	say "  drawing process $pid stopped; WatchdogSec=$(systemctl show -p WatchdogUSec --value skaerm.service)"
	if wait_for 240 sh -c "[ \"\$(systemctl show -p MainPID --value skaerm.service)\" != $pid ] && systemctl is-active -q skaerm.service"; then
		note "restarted $(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.0f", b - a }') s after SIGSTOP"
	else
		fail "not restarted within 240 s of SIGSTOP"
	fi
	expect "the watchdog fired" sh -c 'journalctl -b -u skaerm.service | grep -qi watchdog'
	# READY=1 comes with the first frame; the display may show it a little
	# later: shots until the board is there (at most 60 s).
	expect "board back" shot_board 07-watchdog 60
	expect "the board is back" within 07-before 07-watchdog 5
	xpid="$(mainpid skaerm-kiosk.service)"
	pid="$(mainpid skaerm.service)"
	t0="$(uptime_s)"
	kill -KILL "$xpid"
	if wait_for 120 sh -c "[ \"\$(systemctl show -p MainPID --value skaerm-kiosk.service)\" != $xpid ] && [ \"\$(systemctl show -p MainPID --value skaerm.service)\" != $pid ] && systemctl is-active -q skaerm.service skaerm-kiosk.service"; then
		note "X and the screen back $(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.0f", b - a }') s after killing Xorg"
	else
		fail "X and the screen not both back within 120 s of killing Xorg"
	fi
	local back
	back="$(uptime_s)"
	if shot_board 07-after-x 60; then
		note "the board on the display $(awk -v a="$back" -v b="$(uptime_s)" 'BEGIN { printf "%.0f", b - a }') s after that"
	else
		fail "the display shows no board 60 s after X and the screen came back"
	fi
	expect "the board is back after X" within 07-watchdog 07-after-x 5
	end

	check_security
	finish
}

# --- Touch: a touch screen made with uinput (evemu-device: multitouch
# ABS_MT slots, INPUT_PROP_DIRECT), which udev tags as a touchscreen and
# Xorg's libinput driver adds as an XInput 2 direct-touch device, as on a
# Pi behind a USB touch screen. evemu-play replays each tap with its own
# timing. Where to tap comes from the screen's own layout: build/lab/touch
# (the lab's skaerm-lab-touch) lays out the page from a copy of the cache,
# at the screen's time and size.
touch_w="" touch_h="" touch_dev="" touch_n=0 touch_act="" touch_used="" touch_why="" touch_at="" touch_who=""
# touch_device: makes the touch screen and waits until the X server has
# added it; fails with the reason in touch_why.
touch_device() {
	local wh i
	[ -n "$touch_dev" ] && return 0
	wh="$(xrandr --current 2>/dev/null | sed -n 's/.* current \([0-9]*\) x \([0-9]*\),.*/\1 \2/p' | head -n 1)"
	[ -n "$wh" ] || { touch_why="xrandr tells no screen size"; return 1; }
	read -r touch_w touch_h <<<"$wh"
	modprobe uinput 2>/dev/null || { touch_why="the guest kernel ($(uname -r)) has no uinput module"; return 1; }
	# The device's axes are the screen's pixels.
	{
		echo '# EVEMU 1.3'
		echo 'N: skaerm lab touch screen'
		echo 'I: 0003 1d5c 0001 0100'
		echo 'P: 02 00 00 00 00 00 00 00'
		echo 'B: 00 0b 00 00 00 00 00 00 00'
		for i in 1 2 3 4 5; do echo 'B: 01 00 00 00 00 00 00 00 00'; done
		echo 'B: 01 00 04 00 00 00 00 00 00'
		echo 'B: 03 03 00 00 00 00 80 60 02'
		echo "A: 00 0 $((touch_w - 1)) 0 0 0"
		echo "A: 01 0 $((touch_h - 1)) 0 0 0"
		echo 'A: 2f 0 9 0 0 0'
		echo "A: 35 0 $((touch_w - 1)) 0 0 0"
		echo "A: 36 0 $((touch_h - 1)) 0 0 0"
		echo 'A: 39 0 65535 0 0 0'
	} >/tmp/touch.desc
	cp /tmp/touch.desc "$OUT/touch.desc"
	evemu-device /tmp/touch.desc >/tmp/touch.dev 2>&1 &
	for _ in $(seq 30); do
		touch_dev="$(grep -o '/dev/input/event[0-9]*' /tmp/touch.dev | head -n 1)"
		[ -n "$touch_dev" ] && break
		sleep 0.5
	done
	[ -n "$touch_dev" ] || { touch_why="evemu-device made no device: $(head -c 300 /tmp/touch.dev)"; return 1; }
	if ! wait_for 30 grep -q 'Adding extended input device "skaerm lab touch screen" (type: TOUCHSCREEN' /run/skaerm-kiosk/Xorg.0.log; then
		touch_why="the X server did not add $touch_dev as a touch screen: $(grep 'skaerm lab touch' /run/skaerm-kiosk/Xorg.0.log | tail -n 3 | tr '\n' ' ')"
		touch_dev=""
		return 1
	fi
}
# tap X Y HOLD_MS: one finger down at (X, Y) and up HOLD_MS (< 1000) later.
tap() {
	local up
	touch_n=$((touch_n + 1))
	up="$(printf '0.%06d' $(($3 * 1000)))"
	{
		echo 'E: 0.000000 0003 002f 0'
		echo "E: 0.000000 0003 0039 $touch_n"
		echo "E: 0.000000 0003 0035 $1"
		echo "E: 0.000000 0003 0036 $2"
		echo 'E: 0.000000 0001 014a 1'
		echo "E: 0.000000 0003 0000 $1"
		echo "E: 0.000000 0003 0001 $2"
		echo 'E: 0.000000 0000 0000 0'
		echo "E: $up 0003 0039 -1"
		echo "E: $up 0001 014a 0"
		echo "E: $up 0000 0000 0"
	} >/tmp/tap.events
	evemu-play "$touch_dev" </tmp/tap.events
}
# touch_find WHAT [ARGS]: where WHAT is on the screen now: "X Y [PROFILE]".
touch_find() {
	local off
	off="$(screen_offset)"
	cp /var/lib/skaerm/cache.db /tmp/touch-cache.db 2>/dev/null &&
		"$LAB/skaerm-lab-touch" -cache /tmp/touch-cache.db -size "${touch_w}x$touch_h" \
			-at "$(($(date +%s) + ${off:-0}))" -activity "$touch_act" "$@"
}
# taps_acted: how many taps the screen has acted on in this boot (its log
# says each one at debug level, never a name).
taps_acted() { journalctl -b -u skaerm.service -o cat 2>/dev/null | grep -c ' msg=tap '; }
# touch_step CHECK NAME HOLD_MS WANT WHAT [ARGS]: finds WHAT, taps it, and
# checks that the screen acted on the tap exactly once, as WANT (a piece of
# its log line); then a shot CHECK-NAME. touch_at is what touch_find said.
touch_step() {
	local num="$1" name="$2" hold="$3" want="$4" n0 n last
	shift 4
	if ! touch_at="$(touch_find "$@" 2>&1)"; then
		fail "$name: nothing to tap ($touch_at)"
		return 1
	fi
	# shellcheck disable=SC2086
	set -- $touch_at
	n0="$(taps_acted)"
	tap "$1" "$2" "$hold" >>"$OUT/check-$num.log" 2>&1 || { fail "$name: evemu-play failed"; return 1; }
	if ! wait_for 20 sh -c "[ \"\$(journalctl -b -u skaerm.service -o cat | grep -c ' msg=tap ')\" -gt $n0 ]"; then
		fail "$name: the tap at $1,$2 ($hold ms) was lost"
		shot "$(printf %02d "$num")-$name-lost" >/dev/null 2>&1
		return 1
	fi
	sleep 1
	n="$(taps_acted)"
	last="$(journalctl -b -u skaerm.service -o cat | grep ' msg=tap ' | tail -n 1)"
	printf '%s %s,%s %s ms: %s\n' "$name" "$1" "$2" "$hold" "$last" >>"$OUT/check-$num.log"
	if [ "$n" -ne $((n0 + 1)) ]; then
		fail "$name: the tap at $1,$2 ($hold ms) acted $((n - n0)) times"
		return 1
	fi
	case "$last" in
	*"$want"*) ;;
	*) fail "$name: the tap at $1,$2 acted as '${last#* msg=tap }', not $want" && return 1 ;;
	esac
	shot "$(printf %02d "$num")-$name" >/dev/null 2>&1 || true
}
# touch_signup CHECK PREFIX HOLD_MS: from Today, taps Week, the lab's
# activity there, a face and "Ja, tilmeld" (each tap HOLD_MS long);
# touch_who is the profile signed up.
touch_signup() {
	local num="$1" pre="$2" hold="$3"
	touch_step "$num" "$pre-week" "$hold" "intent=open page=week" week || return 1
	touch_step "$num" "$pre-card" "$hold" "intent=open page=activity/$touch_act" card || return 1
	touch_step "$num" "$pre-face" "$hold" "intent=pick" face -not "$touch_used" || return 1
	touch_who="$(echo "$touch_at" | cut -d' ' -f3)"
	touch_used="${touch_used:+$touch_used,}$touch_who"
	echo "$touch_used" >"$OUT/touch-used"
	touch_step "$num" "$pre-confirm" "$hold" "intent=confirm" confirm -pick "$touch_who"
}
# touch_book CHECK HOLD_MS: from Today, taps Bookings, the first resource
# booked in fixed slots (the demo's laundry), tomorrow's first free slot, a
# face that may book more this week and "Ja, book"; touch_res is the
# resource, touch_who the profile booked, touch_slot the slot's start and
# end (Unix seconds).
touch_res="" touch_slot=""
touch_book() {
	local num="$1" hold="$2" s e
	touch_step "$num" book-bookings "$hold" "intent=open page=bookings" bookings || return 1
	touch_step "$num" book-resource "$hold" "intent=open page=bookings/" resource || return 1
	touch_res="$(echo "$touch_at" | cut -d' ' -f3)"
	touch_step "$num" book-slot "$hold" "intent=choose" slot -resource "$touch_res" || return 1
	read -r _ _ s e <<<"$touch_at"
	touch_slot="$s $e"
	touch_step "$num" book-face "$hold" "intent=pick" bookface -resource "$touch_res" -start "$s" -end "$e" || return 1
	touch_who="$(echo "$touch_at" | cut -d' ' -f3)"
	touch_step "$num" book-confirm "$hold" "intent=confirm" bookconfirm -resource "$touch_res" -start "$s" -end "$e" -pick "$touch_who"
}
# booked_once PROFILE: the backend received exactly one booking request of
# PROFILE for the resource, and booked it.
booked_once() {
	local recs
	recs="$(ask "bookings $touch_res")" || return 1
	printf 'backend: %s\n' "$recs"
	[ "$(printf '%s\n' "$recs" | grep -c "^$1 book ")" = 1 ] && printf '%s\n' "$recs" | grep -q "^$1 book booked 1 "
}
# touch_begin: today's lab activity from the host, on the screen's board,
# the touch screen made, the screen woken (a tap on no target: on the
# slideshow it returns to Today, on Today it does nothing). Fails with the
# reason in touch_why.
touch_begin() {
	local at
	touch_act="$(ask activity)" || { touch_why="the lab could not add its activity: $touch_act"; return 1; }
	[ -f "$OUT/touch-used" ] && touch_used="$(cat "$OUT/touch-used")"
	touch_device || return 1
	wait_for 90 touch_find card || { touch_why="the screen's Week shows no $touch_act after 90 s ($(touch_find card 2>&1 | tail -n 1))"; return 1; }
	say "  touch screen $touch_dev (${touch_w}x$touch_h), activity $touch_act"
	# shellcheck disable=SC2086
	at="$(touch_find blank)" && tap $at 100
	sleep 2
}
# sent_once PROFILE: the backend has exactly one sign-up of PROFILE to the
# lab's activity, a join it applied (received once, or again after a lost
# answer: the same id).
sent_once() {
	local recs
	recs="$(ask "signups $touch_act")" || return 1
	printf 'backend: %s\n' "$recs"
	[ "$(printf '%s\n' "$recs" | grep -c "^$1 ")" = 1 ] && printf '%s\n' "$recs" | grep -q "^$1 join applied "
}

check_touch() {
	begin 4 touch
	cp /etc/skaerm/config.toml /tmp/config.before-touch
	# The screen says each tap it acts on at debug level; no return to the
	# slideshow in the middle of the check.
	set_key log level '"debug"'
	set_key screen idle_after '"30m"'
	sleep 2
	local a b n0 t0
	if ! touch_begin; then
		case "$touch_why" in
		*"no uinput module"*) skip 4 touch "$touch_why" ;;
		*) fail "$touch_why" && end ;;
		esac
		cp /tmp/config.before-touch /etc/skaerm/config.toml
		return
	fi
	n0="$(taps_acted)" t0="$touch_n"
	# Taps as a finger gives them (120 ms), then quick ones (30 ms): each
	# must act exactly once.
	if touch_signup 4 1 120; then
		a="$touch_who"
		expect "the backend received the sign-up of $a once" wait_for 60 sent_once "$a"
		if touch_step 4 2-back 30 "intent=open page=today" back && touch_signup 4 2 30; then
			b="$touch_who"
			expect "the backend received the sign-up of $b once" wait_for 60 sent_once "$b"
		fi
	fi
	# Booking on the screen, with taps of a finger (120 ms): back to
	# Today, then Bookings, the laundry's week grid, a slot, a face, yes.
	local c=""
	if [ -z "$cur_fail" ] && touch_step 4 3-back 120 "intent=open page=today" back && touch_book 4 120; then
		c="$touch_who"
		expect "the backend received the booking of $c ($touch_res, $touch_slot) once and booked it" wait_for 60 booked_once "$c"
	fi
	note "$touch_dev through Xorg's libinput driver: $((touch_n - t0)) taps, $(($(taps_acted) - n0)) acted on"
	[ -z "$cur_fail" ] && note "each once (4 of 120 ms, then 5 of 30 ms, then 6 of 120 ms); the sign-ups of $a and $b and the booking of $c each received once by the backend"
	journalctl -b -u skaerm.service -o cat | grep -E ' msg=(tap|"sign-up|"booking)' >>"$OUT/check-4.log"
	cp /tmp/config.before-touch /etc/skaerm/config.toml
	end
}
# check_gpio: 5, the motion sensor on a real kernel GPIO line. The lab's
# gpio-sim module (build/lab/module.sh) makes a simulated chip through
# configfs with a line named GPIO17; the screen opens it through the GPIO
# character device as a Pi's would be (periph's gpioioctl, not a fake), and
# the lab raises and lowers it by the line's simulated pull in sysfs.
check_gpio() {
	local ko="$LAB/modules/gpio-sim-lab.ko" cfs=/sys/kernel/config/gpio-sim/lab chip dev line
	if [ ! -s "$ko" ]; then
		skip 5 motion-sensor "no gpio-sim module for this kernel: $(cat "$LAB/modules/why" 2>/dev/null || echo 'build/lab/module.sh did not build one')"
		return
	fi
	begin 5 motion-sensor
	modprobe configfs 2>/dev/null || true
	mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
	if ! insmod "$ko" 2>"$OUT/check-5-insmod.txt"; then
		fail "the gpio-sim module does not load: $(tr '\n' ' ' <"$OUT/check-5-insmod.txt")"
		end
		return
	fi
	mkdir -p "$cfs/bank0/line0"
	echo 4 >"$cfs/bank0/num_lines"
	echo GPIO17 >"$cfs/bank0/line0/name"
	echo 1 >"$cfs/live"
	chip="$(cat "$cfs/bank0/chip_name")" dev="$(cat "$cfs/dev_name")"
	line="/sys/devices/platform/$dev/$chip/sim_gpio0"
	pin() { echo "$1" >"$line/pull"; }
	pin pull-down
	note "$chip ($dev), line 0 named GPIO17"
	# Debian's udev leaves /dev/gpiochip* to root; the package's rule gives
	# it to group gpio, as Raspberry Pi OS does.
	udevadm settle
	ls -l "/dev/$chip" >>"$OUT/check-5.log" 2>&1
	expect "/dev/$chip belongs to group gpio (0660)" sh -c "[ \"\$(stat -c %G:%a /dev/$chip)\" = gpio:660 ]"
	cp /etc/skaerm/config.toml /tmp/config.before-gpio
	sed -i '/^\[motion\]/,/^\[/ s|^enabled = .*|enabled = true|; /^\[motion\]/,/^\[/ s|^pin = .*|pin = "GPIO17"|' /etc/skaerm/config.toml
	set_power backend '"dpms"' schedule '[]' blank_after '"20s"'
	local t0 inv
	t0="$(uptime_s)"
	systemctl restart skaerm.service
	wait_screen 120 || fail "skaerm.service not back after its restart"
	inv="$(systemctl show -p InvocationID --value skaerm.service)"
	expect "the screen watches GPIO17" wait_for 60 sh -c "journalctl -b _SYSTEMD_INVOCATION_ID=$inv -o cat | grep -q 'motion sensor watching'"
	expect "skaerm status names the sensor" wait_for 30 sh -c "skaerm status | grep -Eq 'motion sensor: +watching GPIO17'"
	# Silence: the display goes off blank_after (20 s) after the start.
	if wait_for 90 sh -c 'xset q | grep -q "Monitor is Off"'; then
		note "silence: off $(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.0f", b - a }') s after the restart"
	else
		fail "the display is not off 90 s after the start without motion ($(skaerm status 2>&1 | grep 'display power'))"
	fi
	# Motion: the line goes high; the display comes on at once.
	t0="$(uptime_s)"
	pin pull-up
	if wait_for 15 sh -c 'xset q | grep -q "Monitor is On"'; then
		note "motion: on after $(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.0f", b - a }') s"
	else
		fail "the display is not on 15 s after the line went high ($(skaerm status 2>&1 | grep 'display power'))"
	fi
	expect "status says in use (motion)" wait_for 10 sh -c "skaerm status | grep 'display power' | grep -q 'motion'"
	# The sensor falls silent again: off blank_after later.
	pin pull-down
	expect "off again after silence" wait_for 90 sh -c 'xset q | grep -q "Monitor is Off"'
	skaerm status >"$OUT/status-gpio.txt" 2>&1
	# Back to the configuration before the check; the screen lit.
	cp /tmp/config.before-gpio /etc/skaerm/config.toml
	systemctl restart skaerm.service
	wait_screen 120 || fail "skaerm.service not back after the check"
	xset dpms force on 2>/dev/null || true
	echo 0 >"$cfs/live"
	end
}
# set_power KEY VALUE...: edits [power] in config.toml; skaerm applies an
# edit without a restart.
set_power() {
	while [ $# -gt 1 ]; do
		set_key power "$1" "$2"
		shift 2
	done
}
# set_key SECTION KEY VALUE: edits one key of config.toml.
set_key() {
	sed -i "/^\[$1\]/,/^\[/ s|^$2 = .*|$2 = $3|" /etc/skaerm/config.toml
}
# off_now: a schedule rule that makes now off hours, wide enough for the
# department's time zone (the guest's clock is UTC).
off_now() {
	printf '["daily off %s-%s"]' "$(date -d '-3 hours' +%H:%M)" "$(date -d '+3 hours' +%H:%M)"
}

check_cec() {
	begin 6 display-power
	cp /etc/skaerm/config.toml /tmp/config.before-power
	# The kiosk's X server keeps DPMS (for the dpms backend) with its own
	# timers at 0: it never blanks the display by itself.
	xset q >"$OUT/xset-kiosk.txt" 2>&1
	expect "the kiosk's X server has DPMS" grep -q 'DPMS is Enabled' "$OUT/xset-kiosk.txt"
	expect "the kiosk's X server never blanks by itself" sh -c "grep -qE 'Standby: *0 +Suspend: *0 +Off: *0' '$OUT/xset-kiosk.txt' && grep -qE 'timeout: *0 ' '$OUT/xset-kiosk.txt'"
	# DPMS through Xorg (modesetting on virtio-gpu). A new power backend
	# applies at the next start of the screen; the schedule at once. The
	# restarted screen goes on with the backend's clock offset its cache
	# kept in this boot, so the schedule holds at once (the lab has no NTP).
	# A screen started in off hours stays lit for night_page after its
	# start, as after a touch: 20 s here instead of 30 s.
	set_power backend '"dpms"' schedule "$(off_now)" night_wake '"20s"' night_page '"20s"'
	local inv
	systemctl restart skaerm.service
	wait_screen 120 || fail "skaerm.service not back after its restart"
	inv="$(systemctl show -p InvocationID --value skaerm.service)"
	expect "the restarted screen keeps the backend's clock" wait_for 30 sh -c "journalctl -b _SYSTEMD_INVOCATION_ID=$inv -o cat | grep -q 'kept backend clock offset used'"
	if wait_for 60 sh -c 'xset q | grep -q "Monitor is Off"'; then
		note "dpms: off in the off hours"
		# Staff's urgent notice with wake switches the dark display on
		# until it ends, whatever the schedule says.
		local t0
		t0="$(uptime_s)"
		if ask "notice lab-wake 300" >>"$OUT/check-6.log" && wait_for 30 sh -c 'xset q | grep -q "Monitor is On"'; then
			note "dpms: on $(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }') s after staff posted a waking notice"
		else
			fail "dpms: a waking notice did not switch the display on within 30 s ($(xset q 2>&1 | grep -i monitor | tr -s ' '))"
		fi
		ask "notice lab-wake end" >>"$OUT/check-6.log" || fail "the lab could not end its notice"
		expect "dpms: off again when the notice ends" wait_for 60 sh -c 'xset q | grep -q "Monitor is Off"'
	else
		fail "dpms: the monitor is not off ($(xset q 2>&1 | grep -i monitor | tr -s ' '))"
	fi
	set_power schedule '[]'
	expect "dpms: on again" wait_for 60 sh -c 'xset q | grep -q "Monitor is On"'
	# HDMI-CEC: vivid's emulated HDMI output (the screen, a playback device)
	# and input (the TV) share a CEC bus.
	local tv="" src="" d a
	if ! modprobe vivid 2>/dev/null; then
		fail "cec: the kernel has no vivid module"
	fi
	sleep 2
	for d in /dev/cec*; do
		[ -e "$d" ] || continue
		a="$(cec-ctl -d "$d" 2>/dev/null | sed -n 's/.*Adapter Name *: *//p' | head -n 1)"
		case "$a" in *vid-cap*) [ -n "$tv" ] || tv="$d" ;; *vid-out*) [ -n "$src" ] || src="$d" ;; esac
	done
	ls -l /dev/cec* >>"$OUT/check-6.log" 2>&1
	if [ -z "$tv" ] || [ -z "$src" ]; then
		fail "cec: vivid made no HDMI input and output adapters"
	else
		note "cec: screen on $src, TV on $tv"
		cec-ctl -d "$tv" --tv >/dev/null 2>&1
		cec-ctl -d "$tv" --monitor >"$OUT/cec-monitor.txt" 2>&1 &
		local mon=$!
		set_power backend '"cec"' cec_device "\"$src\"" schedule "$(off_now)"
		# The running screen (dpms) takes the new off hours at once; the
		# new backend applies at its next start. A screen that stops
		# switches the display back on, and the next one's backend (cec)
		# never touches DPMS: the display must be on after the restart.
		expect "dpms: off by the edited schedule" wait_for 30 sh -c 'xset q | grep -q "Monitor is Off"'
		systemctl restart skaerm.service
		wait_screen 120 || fail "skaerm.service not back after its restart"
		expect "dpms: the stopped screen left the display on" sh -c 'xset q | grep -q "Monitor is On"'
		expect "cec: the TV receives Standby" wait_for 60 grep -qi 'standby' "$OUT/cec-monitor.txt"
		set_power schedule '[]'
		expect "cec: the TV receives Image View On" wait_for 60 grep -qi 'image.view.on' "$OUT/cec-monitor.txt"
		kill "$mon" 2>/dev/null
	fi
	journalctl -b -u skaerm.service -o cat | grep -iE 'power|cec|dpms' | tail -n 20 >>"$OUT/check-6.log"
	cp /tmp/config.before-power /etc/skaerm/config.toml
	systemctl restart skaerm.service
	wait_screen 120 || fail "skaerm.service not back with its own configuration"
	end
}

check_security() {
	begin 12 security
	local score
	systemd-analyze security --no-pager skaerm.service >"$OUT/security.txt" 2>&1
	score="$(sed -n 's/.*Overall exposure level for skaerm.service: \([0-9.]*\).*/\1/p' "$OUT/security.txt")"
	note "exposure ${score:-?}"
	expect "exposure at most 2.0" awk -v s="${score:-99}" 'BEGIN { exit !(s <= 2.0) }'
	# The service's own view of the file system: its mount namespace, its
	# user and groups.
	mkdir -p /home/staff && echo secret >/home/staff/notes.txt
	svc_pid="$(mainpid skaerm.service)"
	expect "/home hidden from the service" not as_service cat /home/staff/notes.txt
	expect "/etc read-only to the service" not as_service touch /etc/skaerm/lab-probe
	expect "/usr read-only to the service" not as_service touch /usr/lib/skaerm/lab-probe
	expect "/var/lib read-only to the service" not as_service touch /var/lib/lab-probe
	expect "/var/lib/skaerm writable" as_service touch /var/lib/skaerm/lab-probe
	rm -f /var/lib/skaerm/lab-probe
	ss -lntupH >"$OUT/listening.txt" 2>&1
	expect "no listening socket of skaerm or Xorg" sh -c "! grep -E 'skaerm|Xorg' '$OUT/listening.txt'"
	for f in /var/lib/skaerm/cache.db /var/lib/skaerm/token; do
		expect "$f 0600 skaerm" test "$(stat -c '%a %U' "$f")" = "600 skaerm"
	done
	expect "/var/lib/skaerm 0700" test "$(stat -c '%a %U' /var/lib/skaerm)" = "700 skaerm"
	expect "Xauthority not world-readable" sh -c "[ \"\$(stat -c %a /run/skaerm-kiosk/Xauthority)\" = 640 ]"
	end
}

phase_offline() {
	begin 9 offline-boot
	if wait_screen 240; then
		note "first frame $(first_frame) s after kernel start (online: $(cat "$OUT/first-frame-online" 2>/dev/null) s)"
	else
		fail "skaerm.service not active after 240 s"
	fi
	# Not the same pixels as online: without NTP or the backend the screen
	# does not trust the clock, says so and shows the board of the day it
	# was fetched. It must show that board, not the pairing screen or black.
	local shown
	shown="$(first_shown 09-first)" || fail "the display stayed blank for 60 s after READY=1"
	say "  $(boot_chain "$shown")"
	expect "a board is drawn (not the pairing or start screen)" shot_board 09-offline 60
	expect "the cache has the board" has_board
	skaerm status >"$OUT/status-offline.txt" 2>&1
	expect "status tells the backend is unreachable" sh -c 'skaerm status | grep -qiE "error|unreach|refused|offline"'
	# The cached board must not wait for the network: the screen's own
	# start-up to its first frame, offline against online.
	local online own
	online="$(cat "$OUT/own-start-online" 2>/dev/null || echo 0)"
	own="$(own_start)"
	note "skaerm.service start to first frame $own s (online: $online s)"
	expect "offline start-up to the first frame no later than online + 10 s" awk -v a="$own" -v b="$online" 'BEGIN { exit !(a <= b + 10) }'
	end
	finish
}

# clock-1970, clock-behind: booted with the real-time clock in 1970 or three
# days behind and NTP unreachable (the guest reaches only the backend). The
# screen must take the day from the backend's Date and draw the same board
# as the online boot did; the system clock itself stays wrong.
phase_clock() {
	local name="clock-${phase#clock-}"
	begin 10 "$name"
	note "system clock at boot $(date -u '+%F %H:%M')"
	wait_screen 240 || fail "skaerm.service not active after 240 s"
	# The running screen's own view (its report in skaerm status), not the
	# offset an earlier boot left in the cache.
	expect "the screen goes by the backend's time" wait_for 120 sh -c "skaerm status | grep -q \"going by the backend's time\""
	skaerm status >"$OUT/status-$name.txt" 2>&1
	# The screen's time: the system clock plus the offset it goes by, against
	# the host's clock (the lab's real time).
	local host off screen
	host="$(ask now)"
	off="$(screen_offset)"
	screen=$(($(date +%s) + ${off:-0}))
	note "screen time $(date -u -d "@$screen" '+%F %H:%M:%S'), host $(date -u -d "@${host:-0}" '+%F %H:%M:%S')"
	expect "the screen's time within 30 s of the real time" awk -v a="$screen" -v b="${host:-0}" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 30) }'
	expect "the board drawn (not the pairing or start screen)" shot_board "10-$name" 60
	note "system clock now $(date -u '+%F %H:%M') (no NTP)"
	end
	finish
}

phase_final() {
	wait_screen 240
	[ -f "$OUT/cut-signup" ] && check_queued
	begin 11 upgrade-purge
	wait_screen 240 || fail "skaerm.service not active after the boot"
	local inv gen deb2 before
	sed -i 's|^#* *level = .*|level = "debug"|' /etc/skaerm/config.toml
	grep -q '^level = "debug"' /etc/skaerm/config.toml || printf '\n[log]\nlevel = "debug"\n' >>/etc/skaerm/config.toml
	echo '# edited by the technician' >>/etc/skaerm/config.toml
	before="$(sha256sum </etc/skaerm/config.toml)"
	inv="$(systemctl show -p InvocationID --value skaerm.service)"
	gen="$(status_field generation)"
	deb2="$(readlink -f "$(ls "$LAB"/debs/skaerm_*_N1.deb | head -n 1)")"
	cp "$deb2" /tmp/
	expect "apt install N+1" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-confold "/tmp/$(basename "$deb2")"
	expect "the edited config.toml is kept" test "$(sha256sum </etc/skaerm/config.toml)" = "$before"
	expect "no .dpkg-new beside it" sh -c '! ls /etc/skaerm/*.dpkg-* 2>/dev/null | grep -q .'
	expect "the service restarted" test "$(systemctl show -p InvocationID --value skaerm.service)" != "$inv"
	expect "the service active again" wait_screen 120
	local starts
	starts="$(journalctl -b -u skaerm.service -o cat --since "-5min" | grep -c '^Started skaerm')"
	note "starts in the last 5 min: $starts"
	expect "the cache kept" wait_for 60 cache_kept "${gen:-1}"
	note "$(dpkg-query -W -f='${Version}' skaerm)"
	expect "apt purge" env DEBIAN_FRONTEND=noninteractive apt-get purge -y skaerm
	for p in /var/lib/skaerm /var/cache/skaerm /etc/skaerm /usr/bin/skaerm /usr/lib/skaerm; do
		expect "$p gone" test ! -e "$p"
	done
	expect "no skaerm process left" sh -c '! pgrep -u skaerm'
	expect "units gone" sh -c '! systemctl cat skaerm.service'
	getent passwd skaerm >/dev/null && note "the system user stays (Debian practice)"
	end
	finish
}

# cut: the power-cut boot. Once the screen shows its board, the driver moves
# off /lab (QEMU cannot snapshot a guest with the shared folder mounted),
# says CUT-READY and waits on the serial console; the host snapshots the
# guest there. Each cut resumes the snapshot, the host sends "go", and the
# screen restarts and syncs the board the host has just changed, while the
# host kills QEMU.
phase_cut() {
	wait_screen 240 || say "skaerm.service not active"
	wait_for 120 has_board || say "no board in the cache"
	cut_queue
	sleep 5
	save_logs
	# /run is noexec: bash reads the copy.
	install -m 0644 "$0" /run/lab-guest.sh
	cd /
	exec bash /run/lab-guest.sh cut-wait
}
# cut_queue: a sign-up tapped while the backend refuses sign-ups (the host
# made it answer 503 to them for the cuts, boards still sync): it waits in
# the outbox, must stay there through every cut and reach the backend once
# afterwards (phase final). Writes out/cut-signup (activity and profile), or
# a FAIL line of check 8.
cut_queue() {
	cp /etc/skaerm/config.toml /tmp/config.before-touch
	set_key log level '"debug"'
	set_key screen idle_after '"30m"'
	sleep 2
	cur_num=8 cur_fail=""
	if ! touch_begin; then
		fail "$touch_why"
	elif touch_signup 8 cut 120; then
		wait_for 60 sh -c "journalctl -b -u skaerm.service -o cat | grep -q 'sign-up not sent, will retry'" ||
			fail "the screen did not try to send the sign-up"
		wait_for 60 sh -c '[ "$(skaerm status --json | sed -n "s/.*\"pending\": *\([0-9]*\).*/\1/p" | head -n 1)" = 1 ]' ||
			fail "the outbox does not hold the sign-up ($(skaerm status 2>&1 | grep -i outbox))"
	fi
	journalctl -b -u skaerm.service -o cat | grep -E ' msg=(tap|"sign-up)' >>"$OUT/check-8.log"
	skaerm status >"$OUT/status-cut-queued.txt" 2>&1
	if [ -z "$cur_fail" ]; then
		echo "$touch_act $touch_who" >"$OUT/cut-signup"
		say "sign-up of $touch_who to $touch_act queued"
	else
		echo "FAIL 8 queued-sign-up: $cur_fail" >>"$OUT/results"
	fi
	cp /tmp/config.before-touch /etc/skaerm/config.toml
}

# phase_final's first check: the sign-up queued before the power cuts
# reaches the backend exactly once now that it takes sign-ups again.
check_queued() {
	local act who
	read -r act who <"$OUT/cut-signup"
	touch_act="$act"
	begin 8 queued-sign-up
	note "the sign-up of $who queued before the cuts"
	expect "the outbox emptied" wait_for 120 sh -c '[ "$(skaerm status --json | sed -n "s/.*\"pending\": *\([0-9]*\).*/\1/p" | head -n 1)" = 0 ]'
	expect "the backend received it once" wait_for 60 sent_once "$who"
	ask "signups $act" >>"$OUT/check-8.log" 2>&1
	note "$(ask "signups $act" | awk -v w="$who" '$1 == w { printf "received by the backend %s time(s) as one sign-up (%s)", $4, $3 }')"
	end
}

phase_cut_wait() {
	local cmd
	for _ in 1 2 3 4 5; do umount /lab/out 2>/dev/null; umount /lab 2>/dev/null && break; sleep 1; done
	mountpoint -q /lab && say "/lab still mounted"
	local tty
	tty="/dev/$(sed -n 's/.*console=\([^ ,]*\).*/\1/p' /proc/cmdline)"
	stty -F "$tty" -echo 2>/dev/null || true
	say "CUT-READY"
	while read -r cmd <"$tty"; do
		case "$cmd" in
		go)
			say "CUT-GO"
			systemctl restart --no-block skaerm.service
			;;
		esac
	done
}

case "$phase" in
install) phase_install ;;
cut) phase_cut ;;
clock-*) phase_clock ;;
cut-wait) phase_cut_wait ;;
online) phase_online ;;
offline) phase_offline ;;
final) phase_final ;;
*)
	say "unknown phase '$phase'"
	finish
	;;
esac
