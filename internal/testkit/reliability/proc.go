package reliability

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Socket is one listening TCP socket from /proc/<pid>/net/tcp or tcp6.
type Socket struct {
	Local string // hex address:port as the kernel prints it
	Inode string
	File  string // tcp or tcp6
}

// tcpListen is the kernel's state code for LISTEN.
const tcpListen = "0A"

// ListeningSockets returns the TCP sockets in LISTEN state owned by process
// pid: the entries of /proc/<pid>/net/tcp{,6} (which list the whole network
// namespace) whose inode is one of the process's open file descriptors.
func ListeningSockets(pid int) ([]Socket, error) {
	fdDir := fmt.Sprintf("/proc/%d/fd", pid)
	entries, err := os.ReadDir(fdDir)
	if err != nil {
		return nil, fmt.Errorf("list fds of %d: %w", pid, err)
	}
	owned := map[string]bool{}
	for _, e := range entries {
		target, err := os.Readlink(filepath.Join(fdDir, e.Name()))
		if err != nil {
			continue // closed meanwhile
		}
		if inode, ok := strings.CutPrefix(target, "socket:["); ok {
			owned[strings.TrimSuffix(inode, "]")] = true
		}
	}
	var out []Socket
	for _, name := range []string{"tcp", "tcp6"} {
		f, err := os.Open(fmt.Sprintf("/proc/%d/net/%s", pid, name))
		if err != nil {
			if os.IsNotExist(err) {
				continue // no IPv6
			}
			return nil, fmt.Errorf("read %s of %d: %w", name, pid, err)
		}
		sc := bufio.NewScanner(f)
		sc.Scan() // header
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 10 || fields[3] != tcpListen {
				continue
			}
			if owned[fields[9]] {
				out = append(out, Socket{Local: fields[1], Inode: fields[9], File: name})
			}
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("read %s of %d: %w", name, pid, err)
		}
	}
	return out, nil
}

// Port returns the port of a socket's local address.
func (s Socket) Port() int {
	_, hex, _ := strings.Cut(s.Local, ":")
	p, _ := strconv.ParseUint(hex, 16, 16)
	return int(p)
}

// OpenFDs counts the open file descriptors of process pid (0: this process).
func OpenFDs(pid int) (int, error) {
	dir := "/proc/self/fd"
	if pid != 0 {
		dir = fmt.Sprintf("/proc/%d/fd", pid)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("count open files: %w", err)
	}
	// ReadDir itself holds one descriptor on the directory.
	return len(entries) - 1, nil
}
