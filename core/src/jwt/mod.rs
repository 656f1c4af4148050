//! JWS/JWT: algorithms, keys, signing, verification, JWKS, and OpenBao's
//! JWT-auth role semantics.

pub mod openbao_auth;
