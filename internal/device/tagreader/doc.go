// Package tagreader reads residents' key fobs and cards for the personal
// login: USB "keyboard wedge" readers (125 kHz EM4100 and 13.56 MHz MIFARE
// readers that type the tag's id followed by Enter) through evdev, grabbed
// so their keystrokes never reach X, and an MFRC522 (RC522) module on SPI
// that reads the UID of an ISO 14443A card.
//
// A tag id is handed to its caller and nowhere else: this package logs no
// id at any level and keeps none after handing it on.
package tagreader
