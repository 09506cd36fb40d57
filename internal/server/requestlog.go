package server

import (
	"context"
	"log/slog"
	"time"
)

// RequestLog is the Observer that logs one concise info-level line per API
// call: method, operation (the path when none was recognised), account,
// region, status, error code (failures only) and duration. A logger at warn
// or above drops it for the price of one Enabled check.
func RequestLog(log *slog.Logger) Observer {
	return ObserverFunc(func(e Exchange) {
		if log == nil || !log.Enabled(context.Background(), slog.LevelInfo) {
			return
		}
		attrs := make([]slog.Attr, 0, 8)
		attrs = append(attrs, slog.String("method", e.Method))
		if e.Operation != "" {
			attrs = append(attrs, slog.String("operation", e.Operation))
		} else {
			attrs = append(attrs, slog.String("path", e.Path))
		}
		attrs = append(attrs,
			slog.String("account", e.Account),
			slog.String("region", e.Region),
			slog.Int("status", e.Status))
		if e.ErrorCode != "" {
			attrs = append(attrs, slog.String("error_code", e.ErrorCode))
		}
		attrs = append(attrs, slog.Duration("duration", e.Duration.Round(time.Microsecond)))
		log.LogAttrs(context.Background(), slog.LevelInfo, "api", attrs...)
	})
}
