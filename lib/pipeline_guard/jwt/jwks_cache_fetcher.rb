# frozen_string_literal: true

require "net/http"
require "uri"

module PipelineGuard
  module JWT
    class JwksCache
      # The default fetcher: one HTTP GET with timeouts, no redirects, and a
      # body limit enforced while reading (a huge answer is never buffered).
      # Any fetcher is an object with `call(url, max_bytes:)` returning the
      # body String or raising JwksFetchError.
      class NetHttpFetcher
        def initialize(open_timeout: 2, read_timeout: 5)
          @open_timeout = open_timeout
          @read_timeout = read_timeout
        end

        def call(url, max_bytes:)
          uri = URI(url)
          http = Net::HTTP.new(uri.host, uri.port)
          http.use_ssl = uri.scheme == "https"
          http.open_timeout = @open_timeout
          http.read_timeout = @read_timeout
          http.start { |conn| read(conn, uri, max_bytes) }
        rescue SystemCallError, IOError, SocketError, OpenSSL::SSL::SSLError, Timeout::Error => e
          raise JwksFetchError, "GET #{url} failed: #{e.class}"
        end

        private

        def read(conn, uri, max_bytes)
          conn.request(Net::HTTP::Get.new(uri.request_uri, "Accept" => "application/json")) do |response|
            raise JwksFetchError, "GET #{uri} answered HTTP #{response.code}" unless response.code == "200"

            body = +""
            response.read_body do |chunk|
              body << chunk
              raise JwksFetchError, "GET #{uri}: answer larger than #{max_bytes} bytes" if body.bytesize > max_bytes
            end
            return body
          end
        end
      end
    end
  end
end
