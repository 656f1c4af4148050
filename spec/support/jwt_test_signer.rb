# frozen_string_literal: true

require "base64"
require "json"
require "openssl"

# Signs JWS compact tokens with OpenSSL directly, writing the payload as
# given (time claims of any JSON type included), so the OpenBao JWT auth
# specs depend on no other part of the gem.
module JwtTestSigner
  module_function

  def b64(bytes) = Base64.urlsafe_encode64(bytes, padding: false)

  def sign(claims, key, alg = "RS256", header = {})
    head = { "alg" => alg, "typ" => "JWT" }.merge(header)
    input = "#{b64(JSON.generate(head))}.#{b64(JSON.generate(claims))}"
    "#{input}.#{b64(signature(alg, key, input))}"
  end

  def signature(alg, key, input)
    bits = alg[2, 3]
    digest = "SHA#{bits}"
    case alg[0, 2]
    when "RS" then key.sign(digest, input)
    when "PS" then key.sign_pss(digest, input, salt_length: :digest, mgf1_hash: digest)
    when "ES" then der_to_raw(key.sign(digest, input), { "256" => 32, "384" => 48, "512" => 66 }.fetch(bits))
    else raise ArgumentError, "unsupported alg #{alg}"
    end
  end

  def der_to_raw(der, size)
    OpenSSL::ASN1.decode(der).value.map { |int| int.value.to_s(2).rjust(size, "\0") }.join
  end
end
