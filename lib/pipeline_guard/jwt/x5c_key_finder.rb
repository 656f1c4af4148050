# frozen_string_literal: true

require "base64"
require "openssl"

module PipelineGuard
  module JWT
    # The gem's X5cKeyFinder: the public key of the first certificate of an
    # `x5c` chain (RFC 7515 §4.1.6: standard base64 DER, strictly decoded,
    # or OpenSSL::X509::Certificate objects), once OpenSSL::X509::Store has
    # verified the chain up to one of the given roots, with CRL checks for
    # every certificate of the chain.
    class X5cKeyFinder
      def initialize(root_certificates, crls = nil)
        raise ArgumentError, "Root certificates must be specified" unless root_certificates

        @store = build_store(root_certificates, crls)
      end

      def from(x5c_header_or_certificates)
        signing_certificate, *chain = parse_certificates(x5c_header_or_certificates)
        context = OpenSSL::X509::StoreContext.new(@store, signing_certificate, chain)
        return signing_certificate.public_key if context.verify

        error = "Certificate verification failed: #{context.error_string}."
        error = "#{error} Certificate subject: #{context.current_cert.subject}." if context.current_cert
        raise VerificationError, error
      end

      def inspect = "#<#{self.class.name}>"

      private

      def build_store(root_certificates, crls)
        store = OpenSSL::X509::Store.new
        store.purpose = OpenSSL::X509::PURPOSE_ANY
        store.flags = OpenSSL::X509::V_FLAG_CRL_CHECK | OpenSSL::X509::V_FLAG_CRL_CHECK_ALL
        Array(root_certificates).each { |certificate| store.add_cert(certificate) }
        Array(crls).each { |crl| store.add_crl(crl) }
        store
      end

      def parse_certificates(x5c)
        unless x5c.is_a?(Array) && !x5c.empty?
          raise DecodeError, "The x5c header must be a non-empty Array of certificates"
        end
        return x5c if x5c.all?(OpenSSL::X509::Certificate)

        x5c.map do |encoded|
          raise DecodeError, "x5c entries must be base64 Strings" unless encoded.is_a?(String)

          OpenSSL::X509::Certificate.new(::Base64.strict_decode64(encoded))
        end
      rescue ArgumentError, OpenSSL::X509::CertificateError
        raise DecodeError, "Invalid x5c certificate"
      end
    end
  end
end
