// Command gate is the lab's door between the guest and the reference
// backend: QEMU's user networking forwards the guest's 10.0.2.100:80 to it,
// and it passes on only the Screen API (/api/screen/v1/) and /healthz.
// Everything reaching the backend through QEMU arrives from loopback, which
// the backend trusts with its admin API; the gate keeps that API for the lab
// on the host alone.
//
// It speaks HTTPS with a certificate for backend.lab and 10.0.2.100 from a
// certificate authority it makes at start (valid from a day before), whose
// certificate it writes for the guest's [backend] ca_file: a screen must
// reach its backend over https.
//
// It also writes the pairing code the backend hands a screen to a file, the
// code the screen then shows, so the lab can approve it through the admin
// API as staff would after reading it off the screen.
//
//	gate --listen 127.0.0.1:0 --backend http://127.0.0.1:8470 --codes FILE --port-file FILE --ca-out FILE
package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"log"
	mathbig "math/big"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"time"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on (loopback)")
	backend := flag.String("backend", "", "the reference backend's URL")
	codes := flag.String("codes", "", "file the pairing codes are appended to")
	portFile := flag.String("port-file", "", "file to write the listening port to")
	caOut := flag.String("ca-out", "", "file to write the certificate authority's PEM to")
	flag.Parse()
	log.SetFlags(log.Ltime | log.Lmicroseconds)
	target, err := url.Parse(*backend)
	if err != nil || target.Host == "" {
		log.Fatalf("gate: --backend %q is not a URL", *backend)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("gate: %v", err)
	}
	if *portFile != "" {
		port := fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
		if err := os.WriteFile(*portFile, []byte(port+"\n"), 0o644); err != nil {
			log.Fatalf("gate: %v", err)
		}
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	// Events are a stream: pass each line on at once.
	proxy.FlushInterval = -1
	proxy.ModifyResponse = func(r *http.Response) error {
		if r.Request.URL.Path != "/api/screen/v1/oauth/device" || r.StatusCode != http.StatusOK || *codes == "" {
			return nil
		}
		body, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return fmt.Errorf("read the device authorization: %w", err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		var da struct {
			UserCode string `json:"user_code"`
		}
		if json.Unmarshal(body, &da) == nil && da.UserCode != "" {
			f, err := os.OpenFile(*codes, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
			if err != nil {
				return fmt.Errorf("record the pairing code: %w", err)
			}
			fmt.Fprintln(f, da.UserCode)
			f.Close()
		}
		return nil
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/screen/v1/") && r.URL.Path != "/healthz" {
			http.Error(w, "the lab's guest reaches only the Screen API", http.StatusForbidden)
			return
		}
		log.Printf("%s %s", r.Method, r.URL.Path)
		proxy.ServeHTTP(w, r)
	})
	cert, caPEM, err := certificate()
	if err != nil {
		log.Fatalf("gate: %v", err)
	}
	if *caOut != "" {
		if err := os.WriteFile(*caOut, caPEM, 0o644); err != nil {
			log.Fatalf("gate: %v", err)
		}
	}
	srv := &http.Server{Handler: h, TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}}}
	log.Fatal(srv.ServeTLS(ln, "", ""))
}

// certificate makes a certificate authority and a server certificate for
// backend.lab and 10.0.2.100 signed by it; it returns the server's key pair
// and the authority's certificate in PEM.
func certificate() (tls.Certificate, []byte, error) {
	from := time.Now().Add(-24 * time.Hour)
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("CA key: %w", err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          big(1),
		Subject:               pkix.Name{CommonName: "skaerm lab CA"},
		NotBefore:             from,
		NotAfter:              from.Add(30 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("CA certificate: %w", err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("CA certificate: %w", err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("server key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big(2),
		Subject:      pkix.Name{CommonName: "backend.lab"},
		DNSNames:     []string{"backend.lab"},
		IPAddresses:  []net.IP{net.ParseIP("10.0.2.100")},
		NotBefore:    from,
		NotAfter:     from.Add(30 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("server certificate: %w", err)
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, caPEM, nil
}

func big(n int64) *mathbig.Int { return mathbig.NewInt(n) }
