use infraval_api::convertible_pricing::{
    ImpliedRequest, ImpliedResponse, PriceRequest, PriceResponse, ProfileRequest, ProfileResponse,
};

use crate::{Client, ClientError};

impl Client {
    /// `POST /v1/convertibles/price`: fair value on a credit-risky lattice,
    /// with greeks and a convergence diagnostic.
    pub async fn convertible_price(
        &self,
        request: &PriceRequest,
    ) -> Result<PriceResponse, ClientError> {
        self.post("v1/convertibles/price", request).await
    }

    /// `POST /v1/convertibles/implied`: the volatility or credit spread that
    /// reproduces a market price.
    pub async fn convertible_implied(
        &self,
        request: &ImpliedRequest,
    ) -> Result<ImpliedResponse, ClientError> {
        self.post("v1/convertibles/implied", request).await
    }

    /// `POST /v1/convertibles/profile`: price, bond floor, parity and delta
    /// across share prices.
    pub async fn convertible_profile(
        &self,
        request: &ProfileRequest,
    ) -> Result<ProfileResponse, ClientError> {
        self.post("v1/convertibles/profile", request).await
    }
}
