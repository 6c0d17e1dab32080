package tagreader

import (
	"encoding/hex"
	"errors"
	"fmt"

	"periph.io/x/conn/v3/spi"
)

// MFRC522 registers (NXP MFRC522 datasheet, section 9.2).
const (
	regCommand    = 0x01
	regComIrq     = 0x04
	regError      = 0x06
	regFIFOData   = 0x09
	regFIFOLevel  = 0x0A
	regControl    = 0x0C
	regBitFraming = 0x0D
	regColl       = 0x0E
	regMode       = 0x11
	regTxControl  = 0x14
	regTxASK      = 0x15
	regTMode      = 0x2A
	regTPrescaler = 0x2B
	regTReloadH   = 0x2C
	regTReloadL   = 0x2D
	regVersion    = 0x37
)

// MFRC522 commands (section 10.3).
const (
	cmdIdle       = 0x00
	cmdTransceive = 0x0C
	cmdSoftReset  = 0x0F
)

// ISO/IEC 14443-3 type A commands.
const (
	piccREQA   = 0x26
	piccHLTA   = 0x50
	piccSelCL1 = 0x93
	piccSelCL2 = 0x95
	piccSelCL3 = 0x97
	cascadeTag = 0x88
)

// Errors of the card reader.
var (
	ErrNoCard    = errors.New("no card in the field")
	ErrCollision = errors.New("more than one card in the field")
	ErrCardComm  = errors.New("the card's answer is not valid")
	ErrNoChip    = errors.New("no MFRC522 answers on the SPI bus")
)

// MFRC522 reads card UIDs through an MFRC522 on an SPI connection (mode 0,
// up to 10 MHz, 8 bits).
type MFRC522 struct {
	c spi.Conn
	// polls bounds the wait for a command to finish (each poll is one SPI
	// read; the chip's own timer ends a command after 25 ms anyway).
	polls int
}

// NewMFRC522 resets the chip, sets its timer and turns the antenna on.
func NewMFRC522(c spi.Conn) (*MFRC522, error) {
	m := &MFRC522{c: c, polls: 2000}
	v, err := m.read(regVersion)
	if err != nil {
		return nil, err
	}
	switch v {
	case 0x91, 0x92, 0x88, 0x12, 0xB2: // MFRC522 v1.0, v2.0 and common clones
	default:
		return nil, fmt.Errorf("%w (version register 0x%02x)", ErrNoChip, v)
	}
	steps := [][2]byte{
		{regCommand, cmdSoftReset},
		{regTMode, 0x80},      // timer starts after each transmission
		{regTPrescaler, 0xA9}, // 13.56 MHz / (2*169+1): 40 kHz, 25 µs a tick
		{regTReloadH, 0x03},   // 1000 ticks: 25 ms
		{regTReloadL, 0xE8},
		{regTxASK, 0x40}, // 100 % ASK modulation
		{regMode, 0x3D},  // CRC preset 0x6363 (ISO 14443-3)
	}
	for _, s := range steps {
		if err := m.write(s[0], s[1]); err != nil {
			return nil, err
		}
	}
	tx, err := m.read(regTxControl)
	if err != nil {
		return nil, err
	}
	if tx&0x03 != 0x03 {
		if err := m.write(regTxControl, tx|0x03); err != nil { // antenna on: Tx1RFEn, Tx2RFEn
			return nil, err
		}
	}
	return m, nil
}

// SPI address bytes (section 8.1.2.3): bit 7 is 1 to read, bits 6..1 the
// register, bit 0 zero.
func readAddr(reg byte) byte  { return 0x80 | reg<<1&0x7E }
func writeAddr(reg byte) byte { return reg << 1 & 0x7E }

func (m *MFRC522) read(reg byte) (byte, error) {
	r := make([]byte, 2)
	if err := m.c.Tx([]byte{readAddr(reg), 0}, r); err != nil {
		return 0, fmt.Errorf("mfrc522: read register 0x%02x: %w", reg, err)
	}
	return r[1], nil
}

func (m *MFRC522) write(reg byte, data ...byte) error {
	w := append([]byte{writeAddr(reg)}, data...)
	if err := m.c.Tx(w, make([]byte, len(w))); err != nil {
		return fmt.Errorf("mfrc522: write register 0x%02x: %w", reg, err)
	}
	return nil
}

// readFIFO reads n bytes from the FIFO in one transfer: the address n
// times, then a zero.
func (m *MFRC522) readFIFO(n int) ([]byte, error) {
	w := make([]byte, n+1)
	for i := 0; i < n; i++ {
		w[i] = readAddr(regFIFOData)
	}
	r := make([]byte, n+1)
	if err := m.c.Tx(w, r); err != nil {
		return nil, fmt.Errorf("mfrc522: read FIFO: %w", err)
	}
	return r[1:], nil
}

// transceive sends data to the card (the last byte with txBits bits, 0
// for all 8) and returns its answer and the valid bits of its last byte.
func (m *MFRC522) transceive(data []byte, txBits byte) ([]byte, byte, error) {
	steps := []struct {
		reg  byte
		data []byte
	}{
		{regCommand, []byte{cmdIdle}},
		{regComIrq, []byte{0x7F}},    // clear every interrupt request
		{regFIFOLevel, []byte{0x80}}, // flush the FIFO
		{regFIFOData, data},
		{regBitFraming, []byte{txBits}},
		{regCommand, []byte{cmdTransceive}},
		{regBitFraming, []byte{0x80 | txBits}}, // StartSend
	}
	for _, s := range steps {
		if err := m.write(s.reg, s.data...); err != nil {
			return nil, 0, err
		}
	}
	for i := 0; ; i++ {
		irq, err := m.read(regComIrq)
		if err != nil {
			return nil, 0, err
		}
		if irq&0x30 != 0 { // RxIRq or IdleIRq: done
			break
		}
		if irq&0x01 != 0 || i == m.polls { // TimerIRq: nothing answered
			return nil, 0, ErrNoCard
		}
	}
	e, err := m.read(regError)
	if err != nil {
		return nil, 0, err
	}
	switch {
	case e&0x08 != 0:
		return nil, 0, ErrCollision
	case e&0x13 != 0: // BufferOvfl, ParityErr, ProtocolErr
		return nil, 0, fmt.Errorf("%w (error register 0x%02x)", ErrCardComm, e)
	}
	n, err := m.read(regFIFOLevel)
	if err != nil {
		return nil, 0, err
	}
	if n == 0 || n > 64 {
		return nil, 0, fmt.Errorf("%w (%d bytes)", ErrCardComm, n)
	}
	out, err := m.readFIFO(int(n))
	if err != nil {
		return nil, 0, err
	}
	ctl, err := m.read(regControl)
	if err != nil {
		return nil, 0, err
	}
	return out, ctl & 0x07, nil
}

// ReadUID wakes a card with REQA, runs anticollision and select through
// the cascade levels and returns its UID (4, 7 or 10 bytes) as lower-case
// hex, then halts the card so it answers again only after leaving the
// field. ErrNoCard when no card is there.
func (m *MFRC522) ReadUID() (string, error) {
	if err := m.write(regColl, 0x80); err != nil { // ValuesAfterColl: clear the received bits after a collision
		return "", err
	}
	atqa, bits, err := m.transceive([]byte{piccREQA}, 7)
	if err != nil {
		return "", err
	}
	if len(atqa) != 2 || bits != 0 {
		return "", fmt.Errorf("%w: ATQA of %d bytes", ErrCardComm, len(atqa))
	}
	var uid []byte
	for _, sel := range []byte{piccSelCL1, piccSelCL2, piccSelCL3} {
		// Anticollision: SEL, NVB 0x20 (two bytes sent); the card answers
		// four UID bytes and their BCC.
		ans, _, err := m.transceive([]byte{sel, 0x20}, 0)
		if err != nil {
			return "", err
		}
		if len(ans) != 5 || ans[0]^ans[1]^ans[2]^ans[3] != ans[4] {
			return "", fmt.Errorf("%w: anticollision answer fails its check byte", ErrCardComm)
		}
		// Select: SEL, NVB 0x70 (seven bytes), the UID part, BCC, CRC_A.
		frame := append([]byte{sel, 0x70}, ans...)
		frame = appendCRCA(frame)
		sak, _, err := m.transceive(frame, 0)
		if err != nil {
			return "", err
		}
		if len(sak) != 3 || !crcAOK(sak) {
			return "", fmt.Errorf("%w: SAK fails its CRC", ErrCardComm)
		}
		if ans[0] == cascadeTag {
			uid = append(uid, ans[1:4]...)
		} else {
			uid = append(uid, ans[0:4]...)
		}
		if sak[0]&0x04 == 0 { // UID complete
			m.halt()
			return hex.EncodeToString(uid), nil
		}
	}
	return "", fmt.Errorf("%w: UID longer than three cascade levels", ErrCardComm)
}

// halt sends HLTA; a halted card does not answer, so the timeout is the
// expected outcome.
func (m *MFRC522) halt() {
	m.transceive(appendCRCA([]byte{piccHLTA, 0}), 0)
}

// appendCRCA appends the ISO/IEC 14443-3 CRC_A of b (preset 0x6363,
// polynomial x^16+x^12+x^5+1 reflected), low byte first.
func appendCRCA(b []byte) []byte {
	crc := crcA(b)
	return append(b, byte(crc), byte(crc>>8))
}

func crcA(b []byte) uint16 {
	crc := uint16(0x6363)
	for _, c := range b {
		c ^= byte(crc)
		c ^= c << 4
		crc = crc>>8 ^ uint16(c)<<8 ^ uint16(c)<<3 ^ uint16(c)>>4
	}
	return crc
}

func crcAOK(b []byte) bool {
	n := len(b) - 2
	return n >= 0 && crcA(b[:n]) == uint16(b[n])|uint16(b[n+1])<<8
}
