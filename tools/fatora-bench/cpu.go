package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// userHZ is the unit of the CPU times in /proc/<pid>/stat: Linux reports
// them in clock ticks of 1/100 s to user space whatever the kernel's own
// tick.
const userHZ = 100

// cpuReading is the CPU time used so far by the processes a run watches,
// read from /proc at one instant.
type cpuReading struct {
	at       time.Time
	server   time.Duration // the measured server's process (0 if unknown)
	database time.Duration // every process named "postgres", reaped children included
	load     time.Duration // this process, the load generator
	busy     time.Duration // all cores, from /proc/stat: time not idle
}

// cpuFigures are what the processes used over a measured window.
type cpuFigures struct {
	ServerSeconds      float64 `json:"server_cpu_seconds"`
	ServerPerRequestUS float64 `json:"server_cpu_us_per_request"`
	ServerCores        float64 `json:"server_cores"`
	DatabasePerRequest float64 `json:"database_cpu_us_per_request,omitempty"`
	DatabaseCores      float64 `json:"database_cores,omitempty"`
	LoadCores          float64 `json:"load_generator_cores"`
	MachineCores       float64 `json:"machine_busy_cores"`
}

// readCPU reads what serverPid (0: none) and the rest have used so far.
// A process that cannot be read counts as 0: the figures then say so.
func readCPU(serverPid int) cpuReading {
	r := cpuReading{at: time.Now(), busy: machineBusy()}
	if serverPid > 0 {
		r.server, _ = processCPU(strconv.Itoa(serverPid), false)
	}
	r.load, _ = processCPU("self", false)
	r.database = commandCPU("postgres")
	return r
}

// figures are the CPU used between r and a later reading, per request
// (requests: the successful ones of the window).
func (r cpuReading) figures(later cpuReading, requests uint64) *cpuFigures {
	window := later.at.Sub(r.at).Seconds()
	if window <= 0 {
		return nil
	}
	per := func(d time.Duration) float64 {
		if requests == 0 {
			return 0
		}
		return float64(d.Microseconds()) / float64(requests)
	}
	server, db := later.server-r.server, later.database-r.database
	return &cpuFigures{
		ServerSeconds: server.Seconds(), ServerPerRequestUS: per(server), ServerCores: server.Seconds() / window,
		DatabasePerRequest: per(db), DatabaseCores: db.Seconds() / window,
		LoadCores: (later.load - r.load).Seconds() / window, MachineCores: (later.busy - r.busy).Seconds() / window,
	}
}

// processCPU is the user and system time of /proc/<pid>, with its reaped
// children's when children is set.
func processCPU(pid string, children bool) (time.Duration, error) {
	raw, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return 0, err
	}
	_, fields, err := splitStat(raw)
	if err != nil {
		return 0, err
	}
	// fields[0] is the stat line's field 3 (the state), so utime (14) and
	// stime (15) are fields[11:13], and cutime and cstime follow.
	end := 13
	if children {
		end = 15
	}
	var ticks int64
	for _, f := range fields[11:end] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%s/stat: %v", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}

// splitStat splits /proc/<pid>/stat into the command (in brackets, which
// may hold spaces) and the fields after it.
func splitStat(raw []byte) (string, []string, error) {
	open, end := bytes.IndexByte(raw, '('), bytes.LastIndexByte(raw, ')')
	if open < 0 || end < open {
		return "", nil, fmt.Errorf("unexpected /proc stat line %q", raw)
	}
	fields := strings.Fields(string(raw[end+1:]))
	if len(fields) < 15 {
		return "", nil, fmt.Errorf("unexpected /proc stat line %q", raw)
	}
	return string(raw[open+1 : end]), fields, nil
}

// commandCPU sums the CPU time of every process whose command is name,
// with the children each has reaped (so a database's ended connections
// still count, through the server process that reaped them).
func commandCPU(name string) time.Duration {
	dirs, _ := os.ReadDir("/proc")
	var total time.Duration
	for _, d := range dirs {
		if _, err := strconv.Atoi(d.Name()); err != nil {
			continue
		}
		raw, err := os.ReadFile(filepath.Join("/proc", d.Name(), "stat"))
		if err != nil {
			continue
		}
		if comm, _, err := splitStat(raw); err != nil || comm != name {
			continue
		}
		cpu, _ := processCPU(d.Name(), true)
		total += cpu
	}
	return total
}

// machineBusy is the time all cores have spent other than idle or waiting
// for disk, from the first line of /proc/stat.
func machineBusy() time.Duration {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return 0
	}
	fields := strings.Fields(sc.Text()) // cpu user nice system idle iowait irq softirq steal ...
	var ticks int64
	for i, f := range fields[1:] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		if i >= 8 { // guest times are in user already
			break
		}
		n, _ := strconv.ParseInt(f, 10, 64)
		ticks += n
	}
	return time.Duration(ticks) * time.Second / userHZ
}
