"""The Textual app. It uses the engine only through `tui_nn.core`'s public API."""
