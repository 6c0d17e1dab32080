package tagreader

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"
	"periph.io/x/conn/v3/spi/spireg"
	"periph.io/x/host/v3"

	"skaerm/internal/clock"
)

// Timings of the readers' loops.
const (
	reopenEvery = 5 * time.Second        // a missing or unplugged wedge reader is tried again
	pollEvery   = 200 * time.Millisecond // the MFRC522 looks for a card
)

// WatchEvdev keeps the wedge reader at path open and grabbed, and hands each
// tag id to onTag, until ctx ends. A reader that is missing or unplugged is
// tried again every few seconds; the log says so once per outage, with the
// path, never an id.
func WatchEvdev(ctx context.Context, path string, clk clock.Clock, log *slog.Logger, onTag func(string)) {
	down := false
	for ctx.Err() == nil {
		d, err := OpenEvdev(path)
		if err == nil {
			if down {
				log.Info("tag reader back", "reader", path)
			}
			down = false
			err = d.Run(ctx, onTag)
			d.Close()
		}
		if ctx.Err() != nil {
			return
		}
		if !down {
			log.Warn("tag reader unavailable; trying again", "reader", path, "err", err)
			down = true
		}
		select {
		case <-ctx.Done():
			return
		case <-clk.After(reopenEvery):
		}
	}
}

// OpenMFRC522 opens the SPI port (e.g. "/dev/spidev0.0" or "SPI0.0") at
// 1 MHz, mode 0, and starts the chip.
func OpenMFRC522(port string) (*MFRC522, func() error, error) {
	if _, err := host.Init(); err != nil {
		return nil, nil, fmt.Errorf("card reader %s: start SPI drivers: %w", port, err)
	}
	p, err := spireg.Open(port)
	if err != nil {
		return nil, nil, fmt.Errorf("card reader %s: open SPI port (is SPI on? dtparam=spi=on): %w", port, err)
	}
	c, err := p.Connect(physic.MegaHertz, spi.Mode0, 8)
	if err != nil {
		p.Close()
		return nil, nil, fmt.Errorf("card reader %s: %w", port, err)
	}
	m, err := NewMFRC522(c)
	if err != nil {
		p.Close()
		return nil, nil, fmt.Errorf("card reader %s: %w", port, err)
	}
	return m, p.Close, nil
}

// PollMFRC522 looks for a card every 200 ms and hands each UID to onTag
// until ctx ends. A card read is halted, so holding it on the reader gives
// one id; taking it away and back gives another. Errors other than "no
// card" are logged once until a read works again.
func PollMFRC522(ctx context.Context, m *MFRC522, clk clock.Clock, log *slog.Logger, onTag func(string)) {
	failing := false
	for {
		uid, err := m.ReadUID()
		switch {
		case err == nil:
			failing = false
			onTag(uid)
		case errors.Is(err, ErrNoCard), errors.Is(err, ErrCollision):
			failing = false
		case !failing:
			log.Warn("card reader failed to read a card", "err", err)
			failing = true
		}
		select {
		case <-ctx.Done():
			return
		case <-clk.After(pollEvery):
		}
	}
}
