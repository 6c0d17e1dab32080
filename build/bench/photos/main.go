// Command photos measures what a board of photos as phones and cameras
// send them costs the sync: which are kept and which refused, the peak
// resident memory of `skaerm sync --once`, and its seconds.
//
// The photographs are real ones from Debian's plasma-workspace-wallpapers
// (photos.sh fetches and unpacks it): each is also scaled up to the
// sizes phones take (12 MP, 48 MP, 50 MP) and written as the kinds they
// send (baseline JPEG at 4:2:0, progressive JPEG by cjpeg, PNG). The
// reference backend runs in this process with them as gallery items
// visible on screens; the sync runs as its own process, under GNU time
// (the time package), which reads its peak RSS. -skaerm names the binary, so an
// older build measures "before".
//
//	go run ./build/bench/photos -from DIR -skaerm bin/skaerm [-runs 3]
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"golang.org/x/image/draw"

	"skaerm/backend"
	"skaerm/build/bench/internal/benchenv"
	"skaerm/internal/clock"
)

type photo struct {
	name, kind string
	data       []byte
	w, h       int
}

func main() {
	from := flag.String("from", "", "folder of real photographs (JPEG or PNG)")
	bin := flag.String("skaerm", "bin/skaerm", "the skaerm binary to measure")
	runs := flag.Int("runs", 3, "syncs to run, each into an empty cache")
	set := flag.String("set", "", "folder to keep the generated photo set in (made once)")
	flag.Parse()
	if *from == "" {
		log.Fatal("-from: a folder of real photographs")
	}
	photos, err := photoSet(*from, *set)
	if err != nil {
		log.Fatal(err)
	}
	if err := run(photos, *bin, *runs); err != nil {
		log.Fatal(err)
	}
}

// photoSet makes the board's photos from the real ones in from, or reads
// them back from set when it was made before.
func photoSet(from, set string) ([]photo, error) {
	if set != "" {
		if ps, err := readSet(set); err == nil && len(ps) > 0 {
			return ps, nil
		}
	}
	names, err := filepath.Glob(filepath.Join(from, "*"))
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var srcs []image.Image
	var ps []photo
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		img, format, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			continue
		}
		b := img.Bounds()
		ps = append(ps, photo{"original " + filepath.Base(n), format + " (as packaged)", data, b.Dx(), b.Dy()})
		srcs = append(srcs, img)
	}
	if len(srcs) < 2 {
		return nil, fmt.Errorf("%s holds %d photographs, want at least 2", from, len(srcs))
	}
	scaled := func(src image.Image, w, h int) *image.RGBA {
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
		return dst
	}
	enc := func(img image.Image, name string) error {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 92}); err != nil {
			return err
		}
		r := img.Bounds()
		ps = append(ps, photo{name, "jpeg, baseline 4:2:0 (as phones write)", b.Bytes(), r.Dx(), r.Dy()})
		return nil
	}
	sizes := []struct {
		name string
		w, h int
	}{{"12 MP phone", 4032, 3024}, {"48 MP phone", 8000, 6000}, {"50 MP phone", 8160, 6120}, {"24 MP camera", 6000, 4000}}
	for i, s := range sizes {
		img := scaled(srcs[i%len(srcs)], s.w, s.h)
		if err := enc(img, s.name); err != nil {
			return nil, err
		}
		if i == 0 {
			// The same 12 MP photo progressive, as web exports write it.
			if cj, err := exec.LookPath("cjpeg"); err == nil {
				var in bytes.Buffer // PPM, which cjpeg reads
				fmt.Fprintf(&in, "P6\n%d %d\n255\n", s.w, s.h)
				for i := 0; i < len(img.Pix); i += 4 {
					in.Write(img.Pix[i : i+3])
				}
				cmd := exec.Command(cj, "-progressive", "-quality", "90")
				cmd.Stdin = &in
				out, err := cmd.Output()
				if err != nil {
					return nil, fmt.Errorf("cjpeg: %w", err)
				}
				ps = append(ps, photo{"12 MP progressive", "jpeg, progressive (cjpeg)", out, s.w, s.h})
			}
			var b bytes.Buffer
			if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, img); err != nil {
				return nil, err
			}
			ps = append(ps, photo{"12 MP PNG", "png, 8-bit RGBA", b.Bytes(), s.w, s.h})
		}
	}
	// A phone's screenshot.
	var b bytes.Buffer
	if err := png.Encode(&b, scaled(srcs[1], 1170, 2532)); err != nil {
		return nil, err
	}
	ps = append(ps, photo{"phone screenshot", "png", b.Bytes(), 1170, 2532})
	if set != "" {
		if err := writeSet(set, ps); err != nil {
			return nil, err
		}
	}
	return ps, nil
}

func writeSet(dir string, ps []photo) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i, p := range ps {
		n := fmt.Sprintf("%02d %s|%s|%dx%d", i, p.name, p.kind, p.w, p.h)
		if err := os.WriteFile(filepath.Join(dir, strings.ReplaceAll(n, "/", "_")), p.data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func readSet(dir string) ([]photo, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*|*|*"))
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var ps []photo
	for _, n := range names {
		parts := strings.SplitN(filepath.Base(n), "|", 3)
		data, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		var w, h int
		fmt.Sscanf(parts[2], "%dx%d", &w, &h)
		ps = append(ps, photo{parts[0][3:], parts[1], data, w, h})
	}
	return ps, nil
}

func run(ps []photo, bin string, runs int) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "skaerm-photos-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	b, err := backend.Start(ctx, "127.0.0.1:0", backend.Options{Clock: clock.Real{}, DataDir: dir, Tokens: []string{"T"}})
	if err != nil {
		return err
	}
	defer b.Close()
	admin := backend.Admin{BaseURL: b.URL}
	hashes := map[string]photo{}
	for i, p := range ps {
		img, err := admin.PutMedia(ctx, map[string]string{"jpeg": "image/jpeg", "png": "image/png"}[strings.Fields(p.kind)[0]], p.data)
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		hashes[img.SHA256] = p
		g := backend.GalleryItem{ID: fmt.Sprintf("g%d", i), Caption: p.name, Image: &img, Taken: time.Now(), VisibleOnScreen: true}
		if err := admin.Put(ctx, "gallery", g.ID, g); err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
	}
	fmt.Printf("machine: %d cores, load %s; %s\n", nproc(), benchenv.LoadAvg(), bin)
	fmt.Println("| photo | kind | size | bytes |")
	fmt.Println("| --- | --- | --- | --- |")
	for _, p := range ps {
		fmt.Printf("| %s | %s | %dx%d (%.1f MP) | %.1f MB |\n", p.name, p.kind, p.w, p.h, float64(p.w*p.h)/1e6, float64(len(p.data))/1e6)
	}
	refusedLine := regexp.MustCompile(`(?m)^.*(refus|not accept|bad media).*$`)
	fmt.Println()
	fmt.Println("| run | kept | refused | peak RSS (MiB) | seconds | CPU seconds |")
	fmt.Println("| --- | --- | --- | --- | --- | --- |")
	var lastErr string
	for r := 1; r <= runs; r++ {
		cache := filepath.Join(dir, fmt.Sprintf("cache-%d.db", r))
		// Through GNU time: Go starts a child with vfork, and Linux then
		// counts this process's own high-water mark (the decoded photo
		// set, some 700 MiB) in the child's ru_maxrss. time forks, so the
		// figure it reads is the sync's own.
		cmd := exec.Command("/usr/bin/time", "-f", "maxrss_kib=%M", bin, "sync", "--once", "--backend", b.URL, "--token", "T", "--cache", cache)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		t0 := time.Now()
		err := cmd.Run()
		secs := time.Since(t0).Seconds()
		if err != nil && cmd.ProcessState == nil {
			return err
		}
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage) // time's and its child's CPU
		cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
		var rss float64
		if m := regexp.MustCompile(`maxrss_kib=(\d+)`).FindStringSubmatch(out.String()); m != nil {
			fmt.Sscan(m[1], &rss)
		}
		if os.Getenv("PHOTOS_VERBOSE") != "" {
			os.Stderr.Write(out.Bytes())
		}
		kept, refused := counts(out.String())
		fmt.Printf("| %d | %d | %d | %.0f | %.1f | %.1f |\n", r, kept, refused, rss/1024, secs, cpu)
		lastErr = strings.Join(refusedLine.FindAllString(out.String(), -1), "\n")
		if err != nil {
			lastErr += "\nexit: " + err.Error() + "\n" + out.String()
		}
	}
	if lastErr != "" {
		fmt.Println()
		fmt.Println("what the last run said of the photos it refused:")
		fmt.Println(lastErr)
	}
	return nil
}

// counts reads `skaerm sync --once`'s summary: media fetched and failed.
func counts(out string) (kept, refused int) {
	m := regexp.MustCompile(`media: (\d+) fetched, (\d+) failed`).FindStringSubmatch(out)
	if m != nil {
		fmt.Sscan(m[1], &kept)
		fmt.Sscan(m[2], &refused)
	}
	return kept, refused
}

func nproc() int { return runtime.NumCPU() }
