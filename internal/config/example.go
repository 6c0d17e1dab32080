package config

import _ "embed"

//go:embed config.example.toml
var example []byte

// Example returns the example configuration file: every key with its default
// and a comment saying what it does. The .deb ships it beside config.toml.
func Example() []byte { return append([]byte(nil), example...) }
