// Package proctree measures a process and all its descendants from /proc:
// CPU time (user + system, including waited-for children that have exited)
// and proportional set size. Linux only; the benchmark programs use it to
// compare the screen with a browser kiosk.
package proctree

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clkTck is USER_HZ, the unit of the times in /proc/PID/stat; it is 100 on
// every Linux this runs on.
const clkTck = 100

// Tree lists root and every process below it, by walking the parent ids of
// everything in /proc.
func Tree(root int) []int {
	parent := map[int]int{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, err := stat(pid)
		if err != nil {
			continue
		}
		parent[pid] = st.ppid
	}
	in := map[int]bool{root: true}
	for changed := true; changed; {
		changed = false
		for pid, pp := range parent {
			if !in[pid] && in[pp] {
				in[pid] = true
				changed = true
			}
		}
	}
	out := make([]int, 0, len(in))
	for pid := range in {
		if _, ok := parent[pid]; ok {
			out = append(out, pid)
		}
	}
	return out
}

type procStat struct {
	ppid        int
	cpu         uint64 // utime+stime+cutime+cstime, ticks
	waitedTicks uint64 // cutime+cstime: children that exited and were waited for
}

func stat(pid int) (procStat, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, err
	}
	// The command name may hold spaces and parentheses: fields start after
	// the last ')'.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return procStat{}, fmt.Errorf("parse /proc/%d/stat", pid)
	}
	f := strings.Fields(string(data[i+1:]))
	// f[0] is state (field 3); ppid is field 4, utime..cstime are 14..17.
	if len(f) < 15 {
		return procStat{}, fmt.Errorf("parse /proc/%d/stat: %d fields", pid, len(f))
	}
	var st procStat
	st.ppid, _ = strconv.Atoi(f[1])
	for _, k := range []int{11, 12, 13, 14} {
		v, _ := strconv.ParseUint(f[k], 10, 64)
		st.cpu += v
		if k >= 13 {
			st.waitedTicks += v
		}
	}
	return st, nil
}

// CPU is the CPU time the tree under root has used so far: its live
// threads to the nanosecond (the scheduler's account, as Threads), plus the
// children that exited and were waited for, in ticks of 10 ms. A screen
// that draws once a minute uses a few ticks a minute, where ticks alone
// would be too coarse to compare.
func CPU(root int) time.Duration {
	var d time.Duration
	for _, pid := range Tree(root) {
		all, _ := Threads(pid, "")
		d += all
		if st, err := stat(pid); err == nil {
			d += time.Duration(st.waitedTicks) * time.Second / clkTck
		}
	}
	return d
}

// PSS is the proportional set size of the tree under root, in bytes.
func PSS(root int) int64 {
	var total int64
	for _, pid := range Tree(root) {
		f, err := os.Open(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "Pss:") {
				fs := strings.Fields(line)
				if len(fs) >= 2 {
					kb, _ := strconv.ParseInt(fs[1], 10, 64)
					total += kb << 10
				}
				break
			}
		}
		f.Close()
	}
	return total
}

// Threads is the CPU time the threads of process pid have run so far, to
// the nanosecond (the scheduler's own account, /proc/PID/task/*/schedstat,
// not the 10 ms ticks of CPU), and of that the share of the threads whose
// name starts with prefix (e.g. "llvmpipe-": Mesa's software rasterizer).
// Threads that ended are not counted.
func Threads(pid int, prefix string) (all, named time.Duration) {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return 0, 0
	}
	for _, t := range tasks {
		data, err := os.ReadFile(dir + "/" + t.Name() + "/schedstat")
		if err != nil {
			continue
		}
		f := strings.Fields(string(data))
		if len(f) == 0 {
			continue
		}
		ns, _ := strconv.ParseInt(f[0], 10, 64)
		all += time.Duration(ns)
		if comm, err := os.ReadFile(dir + "/" + t.Name() + "/comm"); err == nil && strings.HasPrefix(string(comm), prefix) {
			named += time.Duration(ns)
		}
	}
	return all, named
}
