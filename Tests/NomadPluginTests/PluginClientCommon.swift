/// Python shared by the grpcio clients of the plugin tests (written next to them as `plugincommon.py`) and by
/// bench/plugin-latency.py (which extracts it from this file): `check`, and just enough cty msgpack to
/// build a task config.
enum PluginClientCommon {
    static let source = #"""
        import sys

        def check(condition, message):
            if not condition:
                print("FAIL:", message, flush=True)
                sys.exit(1)
            print("ok:", message, flush=True)

        def mp_str(text):
            data = text.encode()
            return (bytes([0xa0 | len(data)]) if len(data) < 32 else bytes([0xd9, len(data)])) + data

        def mp(value):
            """Just enough cty msgpack: sorted maps, strings, bools, nil, short arrays."""
            if value is None: return b"\xc0"
            if value is True: return b"\xc3"
            if value is False: return b"\xc2"
            if isinstance(value, str): return mp_str(value)
            if isinstance(value, list): return bytes([0x90 | len(value)]) + b"".join(mp(v) for v in value)
            if isinstance(value, dict):
                keys = sorted(value)
                return bytes([0x80 | len(keys)]) + b"".join(mp_str(k) + mp(value[k]) for k in keys)
            raise ValueError(value)
        """#
}
