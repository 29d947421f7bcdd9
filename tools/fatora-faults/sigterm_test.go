package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/internal/testenv"
)

// TestSIGTERMFinishesInFlight holds the server to its graceful shutdown:
// creates whose handlers are already reading their bodies when SIGTERM
// arrives all finish with 201, the process exits 0, and every client is
// there after a restart. Each step waits for an event, never for time:
// "100 Continue" shows a handler is reading; the server closing an idle
// keep-alive connection shows the shutdown has begun.
func TestSIGTERMFinishesInFlight(t *testing.T) {
	skipIfShort(t)
	t.Parallel()
	const n = 10
	bin := fatoraBinary(t)
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "sigterm.db")
	const apiKey = "SIGTERM-TEST-LIVE-KEY-000000001"
	if _, err := testenv.CreateMerchant(t.Context(), bin, dsn, "Shop", "shop@example.com", apiKey); err != nil {
		t.Fatal(err)
	}

	srv := startChild(t, bin, dsn)
	bearer := "Bearer " + authorize(t, srv.addr, apiKey)
	idle := openIdleConn(t, srv.addr)
	var creates []*pendingCreate
	for i := range n {
		creates = append(creates, beginCreate(t, srv.addr, bearer, fmt.Sprintf("Client in flight %d", i)))
	}

	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	idle.waitClosed(t)
	if c, err := net.Dial("tcp", srv.addr); err == nil {
		c.Close()
		t.Error("the server still accepts connections after its shutdown began")
	}

	ids := make([]string, n)
	for i, c := range creates {
		ids[i] = c.finish(t)
	}
	if code := srv.wait(t); code != 0 {
		t.Fatalf("after SIGTERM the server exited with status %d, want 0; its log:\n%s", code, srv.log())
	}

	again := startChild(t, bin, dsn)
	for i, id := range ids {
		if name := getClientName(t, again.addr, bearer, id); name != creates[i].name {
			t.Errorf("after the restart client %s is named %q, want %q", id, name, creates[i].name)
		}
	}
}

// child is the fatora binary serving on a port of its choosing.
type child struct {
	cmd    *exec.Cmd
	addr   string
	exited chan int // the exit status, once
	mu     sync.Mutex
	lines  []string
}

// startChild starts `fatora serve` on 127.0.0.1:0 and returns once its log
// says where it listens.
func startChild(t *testing.T, bin, dsn string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", dsn, "--drain", "0"), exited: make(chan int, 1)}
	stderr, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	listening := make(chan string, 1)
	go c.readLog(stderr, listening)
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		<-c.exited
	})
	select {
	case c.addr = <-listening:
		return c
	case <-c.exited:
		t.Fatalf("the server exited at start; its log:\n%s", c.log())
	case <-time.After(30 * time.Second):
		t.Fatalf("the server did not say it listens within 30s; its log:\n%s", c.log())
	}
	return nil
}

// readLog keeps the server's log lines, sends the address of its
// "listening" line, and reports the exit status once the log ends.
func (c *child) readLog(r io.Reader, listening chan<- string) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		c.mu.Lock()
		c.lines = append(c.lines, sc.Text())
		c.mu.Unlock()
		var entry struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &entry) == nil && entry.Msg == "listening" {
			listening <- entry.Addr
		}
	}
	c.cmd.Wait()
	c.exited <- c.cmd.ProcessState.ExitCode()
	close(c.exited)
}

func (c *child) log() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.lines, "\n")
}

// wait returns the exit status of the server, which must exit within 40 s.
func (c *child) wait(t *testing.T) int {
	t.Helper()
	select {
	case code := <-c.exited:
		return code
	case <-time.After(40 * time.Second):
		t.Fatalf("the server did not exit within 40s of SIGTERM; its log:\n%s", c.log())
		return -1
	}
}

// idleConn is a keep-alive connection that has finished a request. The
// server closes it as soon as its shutdown begins, after closing its
// listener.
type idleConn struct {
	conn net.Conn
	r    *bufio.Reader
}

func openIdleConn(t *testing.T, addr string) *idleConn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	c := &idleConn{conn: conn, r: bufio.NewReader(conn)}
	fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	resp := readResponse(t, c.r, http.MethodGet)
	if resp.status != http.StatusOK {
		t.Fatalf("GET /healthz: %d %s", resp.status, resp.body)
	}
	return c
}

// waitClosed waits until the server closes the connection.
func (c *idleConn) waitClosed(t *testing.T) {
	t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	_, err := c.r.ReadByte()
	var ne net.Error
	if err == nil || (errors.As(err, &ne) && ne.Timeout()) {
		t.Fatalf("the server did not close an idle connection after SIGTERM (read: %v)", err)
	}
}

// pendingCreate is a POST /v1/clients whose handler is reading a body that
// has only half arrived.
type pendingCreate struct {
	name string
	conn net.Conn
	r    *bufio.Reader
	rest []byte
}

// beginCreate sends a create's header with Expect: 100-continue, waits for
// the 100 Continue (so its handler is running and reading), and sends half
// the body.
func beginCreate(t *testing.T, addr, bearer, name string) *pendingCreate {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	body, _ := json.Marshal(map[string]string{"name": name, "notes": "sent across a SIGTERM"})
	fmt.Fprintf(conn, "POST /v1/clients HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\nContent-Type: application/json\r\n"+
		"Content-Length: %d\r\nExpect: 100-continue\r\n\r\n", addr, bearer, len(body))
	c := &pendingCreate{name: name, conn: conn, r: bufio.NewReader(conn), rest: body[len(body)/2:]}
	line, err := c.r.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "HTTP/1.1 100 Continue") {
		t.Fatalf("waiting for 100 Continue: %q, %v", line, err)
	}
	if blank, err := c.r.ReadString('\n'); err != nil || blank != "\r\n" {
		t.Fatalf("after 100 Continue: %q, %v", blank, err)
	}
	if _, err := conn.Write(body[:len(body)/2]); err != nil {
		t.Fatal(err)
	}
	return c
}

// finish sends the rest of the body and returns the id of the client the
// 201 names.
func (c *pendingCreate) finish(t *testing.T) string {
	t.Helper()
	if _, err := c.conn.Write(c.rest); err != nil {
		t.Fatalf("%s: sending the rest of the body: %v", c.name, err)
	}
	resp := readResponse(t, c.r, http.MethodPost)
	if resp.status != http.StatusCreated {
		t.Fatalf("%s: %d %s, want 201", c.name, resp.status, resp.body)
	}
	var created struct {
		Client struct {
			ID   json.Number
			Name string
		}
	}
	if err := json.Unmarshal(resp.body, &created); err != nil || created.Client.Name != c.name {
		t.Fatalf("%s: 201 with body %s (%v)", c.name, resp.body, err)
	}
	return created.Client.ID.String()
}

type rawResponse struct {
	status int
	body   []byte
}

func readResponse(t *testing.T, r *bufio.Reader, method string) rawResponse {
	t.Helper()
	resp, err := http.ReadResponse(r, &http.Request{Method: method})
	if err != nil {
		t.Fatalf("reading a response: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading a response body: %v", err)
	}
	return rawResponse{status: resp.StatusCode, body: body}
}

// authorize exchanges an API key for a bearer token.
func authorize(t *testing.T, addr, apiKey string) string {
	t.Helper()
	var out struct {
		BearerToken string `json:"bearer_token"`
	}
	getJSON(t, "http://"+addr+"/v1/Authorization/Authorize", "api_key", apiKey, &out)
	return out.BearerToken
}

// getClientName reads one client and returns its name.
func getClientName(t *testing.T, addr, bearer, id string) string {
	t.Helper()
	var out struct{ Client struct{ Name string } }
	getJSON(t, "http://"+addr+"/v1/clients/"+id, "Authorization", bearer, &out)
	return out.Client.Name
}

// getJSON sends a GET with one header and decodes a 200's body into v.
func getJSON(t *testing.T, url, header, value string, v any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(header, value)
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s, want 200", url, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v in %s", url, err, body)
	}
}
