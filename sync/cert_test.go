package sync

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestCertificateClockBehind: a screen whose clock is behind (a Pi without a
// real-time clock, booted in 1970 or days late) still reaches its backend
// over TLS, so it can learn the time from the Date header; an expired
// certificate, one for another name or from an unknown authority is still
// refused. Certificates are made relative to the machine's clock, which is
// the screen's clock here.
func TestCertificateClockBehind(t *testing.T) {
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: now.Add(-24 * time.Hour), NotAfter: now.Add(365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	leaf := func(from, to time.Time, ip string, signer *x509.Certificate, signerKey *ecdsa.PrivateKey) tls.Certificate {
		t.Helper()
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "backend"},
			NotBefore: from, NotAfter: to, IPAddresses: []net.IP{net.ParseIP(ip)},
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
		if signer == nil {
			signer, signerKey = tmpl, key // self-signed: an unknown authority
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
		if err != nil {
			t.Fatal(err)
		}
		return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	}
	day := 24 * time.Hour
	tests := []struct {
		name string
		cert tls.Certificate
		ok   bool
	}{
		{"valid now", leaf(now.Add(-day), now.Add(30*day), "127.0.0.1", ca, caKey), true},
		{"issued after the screen's clock (three days behind)", leaf(now.Add(3*day), now.Add(90*day), "127.0.0.1", ca, caKey), true},
		{"expired", leaf(now.Add(-90*day), now.Add(-time.Hour), "127.0.0.1", ca, caKey), false},
		{"another address", leaf(now.Add(-day), now.Add(30*day), "10.9.8.7", ca, caKey), false},
		{"unknown authority", leaf(now.Add(-day), now.Add(30*day), "127.0.0.1", nil, nil), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, "ok")
			}))
			srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
			srv.TLS = &tls.Config{Certificates: []tls.Certificate{tt.cert}}
			srv.StartTLS()
			defer srv.Close()
			c, err := NewClient(srv.URL, caFile)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := c.HTTP().Get(srv.URL + "/")
			if err == nil {
				_ = resp.Body.Close()
			}
			if tt.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !tt.ok {
				var cv *tls.CertificateVerificationError
				if !errors.As(err, &cv) || !errors.Is(classify(err), ErrCertificate) {
					t.Fatalf("err = %v, want a certificate verification error", err)
				}
			}
		})
	}
}
