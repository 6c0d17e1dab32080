package cache

import (
	"context"
	"time"
)

// RetainEvery is how often Retain applies the retention window.
const RetainEvery = time.Hour

// Retain applies the retention window (Prune) at once and then every
// RetainEvery on the cache's clock until ctx ends, so a screen offline for
// days still drops what is older than yesterday. A failed prune is logged
// and tried again next time; Retain returns nil when ctx ends.
func (c *Cache) Retain(ctx context.Context) error {
	for {
		if err := c.Prune(); err != nil {
			c.log.Warn("apply the retention window to the cache", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-c.clock.After(RetainEvery):
		}
	}
}
