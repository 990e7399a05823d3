import CShim
import RktError

/// Inflates a gzip stream (RFC 1952) pulled from another source, chunk by chunk, with zlib.
///
/// Concatenated gzip members are decoded one after another, as gzip(1) does. Anything after the last
/// member that is not another member is an error, so a damaged file is never silently cut short.
/// The `z_stream` lives at a fixed heap address because zlib keeps a pointer back to it.
public final class GzipSource: ByteSource {
    private let inner: any ByteSource
    private let name: String
    private let stream: UnsafeMutablePointer<z_stream>
    private var input: [UInt8] = []
    private var inputOffset = 0
    private var finished = false

    /// Starts decoding `inner`; `name` appears in error messages.
    public init(_ inner: any ByteSource, name: String) throws {
        self.inner = inner
        self.name = name
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard rkt_inflate_init_gzip(stream) == Z_OK else {
            stream.deallocate()
            throw RktError(.internal, "cannot initialise zlib to read \(name)")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    public func read(maxCount: Int) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: maxCount)
        var produced = 0
        while produced == 0 && !finished {
            try refillIfEmpty()
            produced = try inflateStep(into: &output)
        }
        output.removeLast(maxCount - produced)
        return output
    }

    /// Makes sure there is input for zlib; at the end of the compressed data the stream is done
    /// only if the last member was complete.
    private func refillIfEmpty() throws {
        guard inputOffset == input.count else {
            return
        }
        input = try inner.read(maxCount: 64 * 1024)
        inputOffset = 0
        if input.isEmpty {
            throw RktError(.invalidArgument, "gzip data of \(name) is truncated (unexpected end of file)")
        }
    }

    /// Runs inflate once over the pending input; returns how many bytes it produced.
    private func inflateStep(into output: inout [UInt8]) throws -> Int {
        let available = input.count - inputOffset
        let capacity = output.count
        var status: Int32 = Z_OK
        var produced = 0
        input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.pointee.next_in = inBuffer.baseAddress.map { $0 + inputOffset }
                stream.pointee.avail_in = UInt32(available)
                stream.pointee.next_out = outBuffer.baseAddress
                stream.pointee.avail_out = UInt32(capacity)
                status = inflate(stream, Z_NO_FLUSH)
                produced = capacity - Int(stream.pointee.avail_out)
            }
        }
        inputOffset += available - Int(stream.pointee.avail_in)
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil

        switch status {
        case Z_OK, Z_BUF_ERROR:
            return produced
        case Z_STREAM_END:
            try startNextMemberOrFinish()
            return produced
        default:
            let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw RktError(.invalidArgument, "gzip data of \(name) is corrupt: \(detail)")
        }
    }

    /// After a member ends: another member may follow (gzip -c a b); plain end of input finishes.
    private func startNextMemberOrFinish() throws {
        if inputOffset == input.count {
            input = try inner.read(maxCount: 64 * 1024)
            inputOffset = 0
        }
        guard inputOffset < input.count else {
            finished = true
            return
        }
        guard input[inputOffset] == 0x1f else {
            throw RktError(.invalidArgument, "\(name) has trailing data after the gzip stream")
        }
        inflateReset(stream)
    }
}

/// Deflates everything written into gzip format and passes it to another sink.
public final class GzipSink: ByteSink {
    private let inner: any ByteSink
    private let stream: UnsafeMutablePointer<z_stream>

    /// Compresses into `inner` at zlib `level` (1 fastest … 9 smallest).
    public init(_ inner: any ByteSink, level: Int32 = 6) throws {
        self.inner = inner
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard rkt_deflate_init_gzip(stream, level) == Z_OK else {
            stream.deallocate()
            throw RktError(.internal, "cannot initialise zlib for compression")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    public func write(_ bytes: [UInt8]) throws {
        try run(bytes, flush: Z_NO_FLUSH)
    }

    public func finish() throws {
        try run([], flush: Z_FINISH)
        try inner.finish()
    }

    /// Feeds `bytes` to deflate and forwards the output until deflate wants more input (or, when
    /// finishing, until the stream end has been written).
    private func run(_ bytes: [UInt8], flush: Int32) throws {
        var input = bytes
        var output = [UInt8](repeating: 0, count: 64 * 1024)
        var done = false
        try input.withUnsafeMutableBufferPointer { inBuffer in
            stream.pointee.next_in = inBuffer.baseAddress
            stream.pointee.avail_in = UInt32(inBuffer.count)
            while !done {
                let (status, produced) = output.withUnsafeMutableBufferPointer { outBuffer in
                    stream.pointee.next_out = outBuffer.baseAddress
                    stream.pointee.avail_out = UInt32(outBuffer.count)
                    let status = deflate(stream, flush)
                    return (status, outBuffer.count - Int(stream.pointee.avail_out))
                }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw RktError(.internal, "gzip compression failed (zlib error \(status))")
                }
                if produced > 0 {
                    try inner.write(Array(output[0..<produced]))
                }
                done = flush == Z_FINISH ? status == Z_STREAM_END : stream.pointee.avail_in == 0 && produced == 0
            }
            stream.pointee.next_in = nil
        }
    }
}
