"""Calendar exports: a pure iCalendar serializer and the thin routes that send feeds and files."""
