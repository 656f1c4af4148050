# frozen_string_literal: true

require "socket"

# A tiny keep-alive HTTP/1.1 server on 127.0.0.1 for client specs. The
# handler gets [method, path, headers, body] and returns [status, headers,
# body]; it may sleep to answer slowly. Each connection has its own thread.
class LoopbackHTTP
  attr_reader :port, :requests

  def initialize(&handler)
    @handler = handler
    @server = TCPServer.new("127.0.0.1", 0)
    @port = @server.addr[1]
    @requests = Queue.new
    @threads = []
    @acceptor = Thread.new { accept_loop }
  end

  # How many connections were accepted.
  def connections = @threads.size

  def url = "http://127.0.0.1:#{port}"

  def stop
    @acceptor.kill
    @threads.each(&:kill)
    @server.close
  end

  def self.open(&)
    server = new(&)
    yield server
  ensure
    server&.stop
  end

  private

  def accept_loop
    loop do
      socket = @server.accept
      @threads << Thread.new(socket) { |s| serve(s) }
    end
  rescue IOError, Errno::EBADF
    nil
  end

  def serve(socket)
    while (line = socket.gets)
      method, path, = line.split
      headers = read_headers(socket)
      body = socket.read(headers["content-length"].to_i)
      @requests << [method, path]
      status, extra, text = @handler.call(method, path, headers, body)
      write(socket, status, extra, text.to_s)
    end
  rescue IOError, SystemCallError
    nil
  ensure
    socket.close unless socket.closed?
  end

  def read_headers(socket)
    headers = {}
    while (line = socket.gets) && line != "\r\n"
      name, value = line.split(":", 2)
      headers[name.downcase] = value.strip
    end
    headers
  end

  def write(socket, status, extra, text)
    head = ["HTTP/1.1 #{status} X", "Content-Length: #{text.bytesize}", "Content-Type: application/json"]
    extra.each { |k, v| head << "#{k}: #{v}" }
    socket.write("#{head.join("\r\n")}\r\n\r\n#{text}")
  end
end
