# frozen_string_literal: true

require "net/http"
require "uri"
require "json"

module PipelineGuard
  module OpenBao
    # A small JSON-over-HTTP client for the OpenBao API (enough for policy
    # sync, transit interop and the demo). Non-2xx answers raise
    # PipelineGuard::OpenBao::ClientError with OpenBao's `errors` text; the
    # token is never part of a message.
    #
    # Thread-safe: the keep-alive connection is used by one request at a time
    # (a Mutex around each request), so concurrent callers never read each
    # other's responses. Use one Client per thread for parallel requests.
    class Client
      attr_reader :address

      def self.from_env
        new(address: ENV.fetch("BAO_ADDR"), token: ENV.fetch("BAO_TOKEN", nil))
      end

      def initialize(address:, token: nil, namespace: nil, open_timeout: 2, read_timeout: 10)
        @address = address.chomp("/")
        @token = token
        @namespace = namespace
        @uri = URI(@address)
        @open_timeout = open_timeout
        @read_timeout = read_timeout
        @mutex = Mutex.new
      end

      def inspect
        "#<#{self.class} address=#{@address.inspect}>"
      end

      def get(path) = request(Net::HTTP::Get, path)
      def delete(path) = request(Net::HTTP::Delete, path)
      def post(path, body = {}) = request(Net::HTTP::Post, path, body)
      def put(path, body = {}) = request(Net::HTTP::Put, path, body)
      def list(path) = request(Net::HTTP::Get, "#{path}?list=true")

      def with_token(token)
        self.class.new(address: @address, token:, namespace: @namespace,
                       open_timeout: @open_timeout, read_timeout: @read_timeout)
      end

      private

      def request(klass, path, body = nil)
        req = klass.new("/v1/#{path.delete_prefix('/')}")
        req["X-Vault-Token"] = @token if @token
        req["X-Vault-Namespace"] = @namespace if @namespace
        if body
          req["Content-Type"] = "application/json"
          req.body = JSON.generate(body)
        end
        response = @mutex.synchronize { http.request(req) }
        parse(response, klass, path)
      rescue SystemCallError, IOError, Net::OpenTimeout, Net::ReadTimeout => e
        raise ClientError, "OpenBao at #{@address} unreachable: #{e.class}"
      end

      # Only called with @mutex held.
      def http
        @http ||= Net::HTTP.new(@uri.host, @uri.port).tap do |h|
          h.use_ssl = @uri.scheme == "https"
          h.open_timeout = @open_timeout
          h.read_timeout = @read_timeout
          h.keep_alive_timeout = 30
          h.start
        end
        @http.start unless @http.started?
        @http
      end

      def parse(response, klass, path)
        data = response.body.to_s.empty? ? {} : JSON.parse(response.body)
        return data if response.code.to_i.between?(200, 299)

        method = klass::METHOD
        raise ClientError, "#{method} #{path}: HTTP #{response.code}: #{Array(data['errors']).join('; ')}"
      rescue JSON::ParserError
        raise ClientError, "#{method || klass::METHOD} #{path}: HTTP #{response.code}: invalid JSON"
      end
    end
  end
end
